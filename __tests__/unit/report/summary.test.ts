import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RolloutResult } from '../../../src/deploy/watch.js';
import {
  escapeHtml,
  escapeMarkdown,
  formatDuration,
  renderSummary,
  writeSummary,
  type DeployReport,
} from '../../../src/report/summary.js';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function rollout(over: Partial<RolloutResult>): RolloutResult {
  return {
    state: 'SUCCESSFUL',
    success: true,
    reason: 'ECS reports the deployment of web:7 SUCCESSFUL',
    serviceDeploymentArn: undefined,
    deploymentId: 'ecs-svc/1',
    durationMs: 94_000,
    timeline: [
      { at: new Date(0), text: '[   1s] (service web) has started 2 tasks: (task a) (task b).' },
      { at: new Date(0), text: '[  94s] SUCCESSFUL: ECS reports the deployment of web:7 SUCCESSFUL' },
    ],
    ...over,
  };
}

function report(over: Partial<DeployReport>): DeployReport {
  return {
    image: 'web:latest',
    imageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}`,
    digest: DIGEST,
    tags: ['abc1234', 'latest'],
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
    revision: 7,
    cluster: 'prod',
    service: 'web',
    rollout: rollout({}),
    ...over,
  };
}

describe('renderSummary', () => {
  it('renders a successful deploy in full', () => {
    expect(renderSummary(report({}))).toBe(
      [
        '## ✅ Deployed to web (cluster prod)',
        '',
        '| | |',
        '|---|---|',
        `| Image | \`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}\` |`,
        '| Tags | `abc1234`, `latest` |',
        `| Digest | \`${DIGEST}\` |`,
        '| Task definition | `web:7` |',
        '| Cluster | `prod` |',
        '| Service | `web` |',
        '| Rollout | `SUCCESSFUL` |',
        '| Duration | 1m 34s |',
        '',
        '<details>',
        '<summary>Rollout timeline (2 lines)</summary>',
        '',
        '<pre>',
        '[   1s] (service web) has started 2 tasks: (task a) (task b).',
        '[  94s] SUCCESSFUL: ECS reports the deployment of web:7 SUCCESSFUL',
        '</pre>',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it.each<[string, Partial<DeployReport>, string, RegExp | undefined]>([
    [
      'circuit-breaker rollback',
      {
        rollout: rollout({ state: 'ROLLED_BACK', success: false, reason: 'ECS rolled back; back on web:6' }),
      },
      '## ❌ Rollout to web (cluster prod) was rolled back',
      /\*\*Reason:\*\* ECS rolled back; back on web:6/,
    ],
    [
      'failure',
      {
        rollout: rollout({
          state: 'FAILED',
          success: false,
          reason: 'Access denied for ecs:DescribeServices',
        }),
      },
      '## ❌ Rollout to web (cluster prod) failed',
      /\| Rollout \| `FAILED` \|/,
    ],
    [
      'timeout',
      { rollout: rollout({ state: 'TIMED_OUT', success: false, reason: 'Timed out after 30 min' }) },
      '## ❌ Rollout to web (cluster prod) timed out',
      /\*\*Reason:\*\* Timed out after 30 min/,
    ],
    [
      'not watched',
      { rollout: undefined },
      '## ✅ Updated web (cluster prod), rollout not watched',
      /\| Duration \| — \|/,
    ],
    [
      'NOT_WAITED result',
      { rollout: rollout({ state: 'NOT_WAITED', timeline: [] }) },
      '## ✅ Updated web (cluster prod), rollout not watched',
      /\| Rollout \| `NOT_WAITED` \|/,
    ],
  ])('%s', (_name, over, header, body) => {
    const md = renderSummary(report(over));
    expect(md.split('\n')[0]).toBe(header);
    if (body) expect(md).toMatch(body);
    const failed = over.rollout !== undefined && !over.rollout.success;
    expect(md.includes('**Reason:**')).toBe(failed);
  });

  it('escapes pipes and HTML from ECS text so they cannot break the table or inject markup', () => {
    const md = renderSummary(
      report({
        rollout: rollout({
          state: 'FAILED',
          success: false,
          reason: 'container <script>alert(1)</script> | exit_code 1',
          timeline: [{ at: new Date(0), text: '[   2s] event with </pre><img src=x> and a|b' }],
        }),
      }),
    );
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).toContain('**Reason:** container &lt;script&gt;alert(1)&lt;/script&gt; &#124; exit\\_code 1');
    expect(md).toContain('[   2s] event with &lt;/pre&gt;&lt;img src=x&gt; and a&#124;b');
    expect(md.match(/<\/pre>/g)).toHaveLength(1);
  });

  it('does not put a tag with a pipe in a code span inside the table', () => {
    const md = renderSummary(report({ tags: ['a|b'] }));
    expect(md).toContain('| Tags | a&#124;b |');
  });
});

describe('escaping helpers', () => {
  it.each([
    ['a|b', 'a&#124;b'],
    ['<b>&</b>', '&lt;b&gt;&amp;&lt;/b&gt;'],
  ])('escapeHtml(%p) = %p', (input, out) => expect(escapeHtml(input)).toBe(out));

  it.each([
    ['my_service*', 'my\\_service\\*'],
    ['line\nbreak', 'line break'],
    ['x|y', 'x&#124;y'],
  ])('escapeMarkdown(%p) = %p', (input, out) => expect(escapeMarkdown(input)).toBe(out));
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59_400, '59s'],
    [94_000, '1m 34s'],
    [3_723_000, '1h 2m 3s'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('writeSummary', () => {
  const saved = process.env.GITHUB_STEP_SUMMARY;
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
  });

  it('appends the rendered markdown to the job summary file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'step-summary.md');
    writeFileSync(file, 'earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    const r = report({});
    await writeSummary(r);
    expect(readFileSync(file, 'utf8')).toBe(`earlier step\n${renderSummary(r)}`);
  });
});
