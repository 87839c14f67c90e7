import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunTaskResult } from '../../../src/deploy/run-task.js';
import type { DeployOutcome, ServiceOutcome } from '../../../src/deploy/stage.js';
import type { RolloutResult } from '../../../src/deploy/rollout/watch.js';
import { renderDeploySection, timeline, type DeployReport } from '../../../src/report/deploy-section.js';
import { escapeHtml, escapeMarkdown, formatDuration } from '../../../src/report/markdown.js';
import { writeJobSummary } from '../../../src/report/summary.js';
import { runTask } from './results.js';

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

function serviceOutcome(service: string, r: RolloutResult | undefined): ServiceOutcome {
  return {
    service,
    state: r?.state ?? 'NOT_WAITED',
    success: r?.success ?? true,
    reason: r?.reason ?? 'rollout not watched',
    deploymentId: r?.deploymentId,
    rollout: r,
  };
}

/** What the deploy stage returns for one service (the common case), built the way stage.ts builds it. */
function single(r: RolloutResult | undefined, over: Partial<DeployOutcome> = {}): DeployOutcome {
  const s = serviceOutcome('web', r);
  return {
    runTask: undefined,
    services: [s],
    cleanup: undefined,
    state: s.state,
    success: s.success,
    failure: s.success ? undefined : `Rollout ${s.state}: ${s.reason}`,
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
    outcome: single(rollout({})),
    ...over,
  };
}

describe('renderDeploySection', () => {
  const cells = (md: string) =>
    Object.fromEntries([...md.matchAll(/^\| (Image|Digest|Rollout) \| (.*) \|$/gm)].map((m) => [m[1], m[2]]));
  const nothingPushed = { image: '', imageUri: '', digest: '', tags: [] };

  it.each([
    [
      'one container, digest reported',
      [{ container: 'web', image: 'nginx:1.27', digest: DIGEST }],
      '`nginx:1.27`',
      `\`${DIGEST}\``,
    ],
    ['digest unknown', [{ container: 'web', image: 'nginx:1.27', digest: undefined }], '`nginx:1.27`', '—'],
    [
      'several containers',
      [
        { container: 'web', image: 'nginx:1.27', digest: DIGEST },
        { container: 'log', image: 'fluent-bit:3', digest: undefined },
      ],
      '`web`: `nginx:1.27`, `log`: `fluent-bit:3`',
      `\`web\`: \`${DIGEST}\`, \`log\`: —`,
    ],
    ['nothing known', [], '—', '—'],
  ])(
    'nothing pushed (%s): the Image and Digest cells say what the containers were given',
    (_what, containers, image, digest) => {
      const md = renderDeploySection(report({ ...nothingPushed, containers }));
      expect(cells(md)).toMatchObject({ Image: image, Digest: digest });
    },
  );

  it('a run with nothing to deploy says so in its headline and Rollout cell', () => {
    const unchanged = { ...serviceOutcome('web', undefined), state: 'SUCCESSFUL' as const, unchanged: true };
    const outcome = single(undefined, { services: [unchanged], state: 'SUCCESSFUL' });
    const md = renderDeploySection(report({ outcome }));
    expect(md.split('\n')[0]).toBe('## ✅ Nothing to deploy: web (cluster prod) already runs `web:7`');
    expect(cells(md).Rollout).toBe('none: nothing to deploy');
  });

  it('renders a successful deploy in full', () => {
    expect(renderDeploySection(report({}))).toBe(
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
        outcome: single(
          rollout({ state: 'ROLLED_BACK', success: false, reason: 'ECS rolled back; back on web:6' }),
        ),
      },
      '## ❌ Rollout to web (cluster prod) was rolled back',
      /\*\*Reason:\*\* ECS rolled back; back on web:6/,
    ],
    [
      'failure',
      {
        outcome: single(
          rollout({
            state: 'FAILED',
            success: false,
            reason: 'Access denied for ecs:DescribeServices',
          }),
        ),
      },
      '## ❌ Rollout to web (cluster prod) failed',
      /\| Rollout \| `FAILED` \|/,
    ],
    [
      'timeout',
      { outcome: single(rollout({ state: 'TIMED_OUT', success: false, reason: 'Timed out after 30 min' })) },
      '## ❌ Rollout to web (cluster prod) timed out',
      /\*\*Reason:\*\* Timed out after 30 min/,
    ],
    [
      'not watched',
      { outcome: single(undefined) },
      '## ✅ Updated web (cluster prod), rollout not watched',
      /\| Duration \| — \|/,
    ],
    [
      'NOT_WAITED result',
      { outcome: single(rollout({ state: 'NOT_WAITED', timeline: [] })) },
      '## ✅ Updated web (cluster prod), rollout not watched',
      /\| Rollout \| `NOT_WAITED` \|/,
    ],
  ])('%s', (_name, over, header, body) => {
    const md = renderDeploySection(report(over));
    expect(md.split('\n')[0]).toBe(header);
    if (body) expect(md).toMatch(body);
    const failed = over.outcome !== undefined && !over.outcome.success;
    expect(md.includes('**Reason:**')).toBe(failed);
  });

  it('escapes pipes and HTML from ECS text so they cannot break the table or inject markup', () => {
    const md = renderDeploySection(
      report({
        outcome: single(
          rollout({
            state: 'FAILED',
            success: false,
            reason: 'container <script>alert(1)</script> | exit_code 1',
            timeline: [{ at: new Date(0), text: '[   2s] event with </pre><img src=x> and a|b' }],
          }),
        ),
      }),
    );
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).toContain('**Reason:** container &lt;script&gt;alert(1)&lt;/script&gt; &#124; exit\\_code 1');
    expect(md).toContain('[   2s] event with &lt;/pre&gt;&lt;img src=x&gt; and a&#124;b');
    expect(md.match(/<\/pre>/g)).toHaveLength(1);
  });

  it('does not put a tag with a pipe in a code span inside the table', () => {
    const md = renderDeploySection(report({ tags: ['a|b'] }));
    expect(md).toContain('| Tags | a&#124;b |');
  });
});

describe('renderDeploySection around the update', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, s));
  const failedRollout = rollout({
    state: 'ROLLED_BACK',
    success: false,
    reason: 'circuit breaker',
    durationMs: 120_000,
    timeline: [{ at: at(3), text: '[   3s] ROLLED_BACK: circuit breaker' }],
  });
  const okRollout = rollout({ timeline: [{ at: at(2), text: '[   2s] SUCCESSFUL: ok' }] });
  // Its web container exits 0, its non-essential log router 143.
  const migration = runTask({ timeline: [{ at: at(1), text: 'one-off task abc: RUNNING' }] });

  it('has a row per service, the worst state, each reason, and one timeline in time order', () => {
    const outcome: DeployOutcome = {
      runTask: migration,
      services: [serviceOutcome('web', okRollout), serviceOutcome('worker', failedRollout)],
      cleanup: undefined,
      state: 'ROLLED_BACK',
      success: false,
      failure: 'Rollout failed on 1 of 2 services: worker ROLLED_BACK: circuit breaker',
    };
    const md = renderDeploySection(report({ outcome }));
    expect(md.split('\n')[0]).toBe('## ❌ Rollout to worker (cluster prod) was rolled back');
    expect(md).toContain('| Services | `web`, `worker` |');
    expect(md).toContain('| One-off task | `SUCCEEDED` (web exit 0) |');
    expect(md).toContain('| Rollout | `ROLLED_BACK` |');
    expect(md).toContain('| Duration | 2m 0s |');
    expect(md).toContain(
      '**Reason:** Rollout failed on 1 of 2 services: worker ROLLED\\_BACK: circuit breaker',
    );
    expect(md).toContain(
      '| `web` | ✅ `SUCCESSFUL` | `ecs-svc/1` | 1m 34s | ECS reports the deployment of web:7 SUCCESSFUL |',
    );
    expect(md).toContain('| `worker` | ❌ `ROLLED_BACK` | `ecs-svc/1` | 2m 0s | circuit breaker |');
    expect(md.trimEnd().endsWith('</details>')).toBe(true);
    expect(timeline(outcome)).toEqual([
      '[run-task] one-off task abc: RUNNING',
      '[web] [   2s] SUCCESSFUL: ok',
      '[worker] [   3s] ROLLED_BACK: circuit breaker',
    ]);
  });

  it('says no service was updated when the one-off task failed', () => {
    const failed: RunTaskResult = {
      ...migration,
      success: false,
      reason: "One-off task abc failed: container 'web' exited with code 1",
      exits: [{ container: 'web', essential: true, exitCode: 1, reason: undefined }],
    };
    const outcome: DeployOutcome = {
      runTask: failed,
      services: [],
      cleanup: undefined,
      state: 'NOT_STARTED',
      success: false,
      failure: `${failed.reason}. No service was updated.`,
    };
    const md = renderDeploySection(report({ outcome }));
    expect(md.split('\n')[0]).toBe('## ❌ One-off task failed, no service updated in cluster prod');
    expect(md).toContain('| One-off task | `FAILED` (web exit 1) |');
    expect(md).not.toContain('| Service');
    expect(md).toContain(
      "**Reason:** One-off task abc failed: container 'web' exited with code 1. No service was updated.",
    );
  });

  it('lists the revisions keep-revisions deregistered', () => {
    const cleanup = {
      deregistered: [
        'arn:aws:ecs:us-east-1:123456789012:task-definition/web:5',
        'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      ],
      kept: [],
      warnings: [],
    };
    const md = renderDeploySection(report({ outcome: single(okRollout, { cleanup }) }));
    expect(md).toContain('| Deregistered | `web:5`, `web:2` |');
    const none = renderDeploySection(
      report({ outcome: single(okRollout, { cleanup: { ...cleanup, deregistered: [] } }) }),
    );
    expect(none).toContain('| Deregistered | none |');
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

describe('writeJobSummary', () => {
  const saved = process.env.GITHUB_STEP_SUMMARY;
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
  });

  it('appends the rendered markdown to the job summary file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'step-summary.md');
    writeFileSync(file, 'earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    const md = renderDeploySection(report({}));
    await writeJobSummary(md);
    expect(readFileSync(file, 'utf8')).toBe(`earlier step\n${md}`);
  });

  it('without GITHUB_STEP_SUMMARY (a local run) says so in one line and does not fail', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await writeJobSummary(renderDeploySection(report({})), {});
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual([`No job summary: GITHUB_STEP_SUMMARY is not set (not on a runner).${EOL}`]);
  });
});
