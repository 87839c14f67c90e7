import { describe, expect, it } from '@jest/globals';
import { renderDeploySection } from '../../../src/report/deploy-section.js';
import { renderDryRunSection } from '../../../src/report/dry-run-section.js';
import { renderScanSection } from '../../../src/report/scan-section.js';
import { renderJobSummary, type KnownResults } from '../../../src/report/summary.js';
import * as results from './results.js';

const { DIGEST, REPOSITORY, TD, context, deployed, pushed, registered, rendered } = results;
const { rollout, runTask, scan, serviceOutcome } = results;

const web = serviceOutcome('web', rollout());
const rolledBack = serviceOutcome(
  'web',
  rollout({ state: 'ROLLED_BACK', success: false, reason: 'ECS rolled back; back on web:6' }),
);
const promoted = { imageUri: `${REPOSITORY}@${DIGEST}`, digest: DIGEST };
const throughRegister: KnownResults = { image: pushed, render: rendered(), register: registered };

/** The deploy section as the deploy always rendered it, from the same results. */
const deploySection = (known: KnownResults) =>
  renderDeploySection({
    image: context.image,
    imageUri: known.image?.imageUri ?? '',
    digest: known.image?.digest ?? '',
    tags: context.tags,
    taskDefinitionArn: known.register?.arn ?? '',
    revision: known.register?.revision ?? 0,
    cluster: context.cluster,
    outcome: known.deploy ?? deployed([]),
  });

const failed = (line: string) => `\n**❌ Step failed:** ${line}\n`;

describe('renderJobSummary: the one job summary, for each way a step ends', () => {
  const success = { ...throughRegister, deploy: deployed([web]) };
  const rollback = { ...throughRegister, deploy: deployed([rolledBack]) };
  const promotion = { ...throughRegister, image: promoted, deploy: deployed([web]) };
  const scanned = { ...success, scan: scan('passed') };
  const notStarted = {
    ...throughRegister,
    runTask: runTask({ success: false }),
    deploy: deployed([], { state: 'NOT_STARTED', success: false, failure: 'One-off task failed.' }),
  };
  const noImage = { render: rendered(), register: registered, deploy: deployed([web]) };
  const blocked: KnownResults = { image: pushed, scan: scan('blocked') };
  const scanLine = `Image scan found 3 finding(s) at or above HIGH in ${DIGEST}: not deploying.`;

  it.each<[string, KnownResults, string | undefined, string]>([
    ['success: the deploy section', success, undefined, deploySection(success)],
    [
      'a failed rollout: its own verdict and reason, no second line',
      rollback,
      undefined,
      deploySection(rollback),
    ],
    [
      'a promotion: the deploy section with the promoted image',
      promotion,
      undefined,
      deploySection(promotion),
    ],
    ['a failed one-off task: no service updated', notStarted, undefined, deploySection(notStarted)],
    ['no image to publish', noImage, undefined, deploySection(noImage)],
    [
      'the scan gate passed: its section before the deploy one',
      scanned,
      undefined,
      `${renderScanSection(scan('passed'))}${deploySection(scanned)}`,
    ],
    ['a dry run: its own section', { dryRun: rendered() }, undefined, renderDryRunSection(rendered())],
    [
      'the scan gate blocked: its section, then the failure',
      blocked,
      scanLine,
      `${renderScanSection(scan('blocked'))}${failed(scanLine)}`,
    ],
    [
      'a stage threw after the push: the failure',
      throughRegister,
      'ServerException: boom',
      failed('ServerException: boom'),
    ],
    [
      'the plan threw: the failure alone',
      {},
      "Service 'web' was not found",
      failed("Service 'web' was not found"),
    ],
    ['a dry run that threw while rendering', {}, 'Input x', failed('Input x')],
  ])('%s', (_name, known, failure, expected) => {
    expect(renderJobSummary(known, context, failure)).toBe(expected);
  });

  it('reads as before for a successful deploy', () => {
    const md = renderJobSummary(success, context);
    expect(md.split('\n').slice(0, 6)).toEqual([
      '## ✅ Deployed to web (cluster prod)',
      '',
      '| | |',
      '|---|---|',
      `| Image | \`${REPOSITORY}@${DIGEST}\` |`,
      '| Tags | `abc1234`, `latest` |',
    ]);
    expect(md).not.toContain('Step failed');
  });

  it('gives a rolled-back rollout its verdict and reason', () => {
    const md = renderJobSummary(rollback, context);
    expect(md.split('\n')[0]).toBe('## ❌ Rollout to web (cluster prod) was rolled back');
    expect(md).toContain('**Reason:** ECS rolled back; back on web:6');
  });

  it('puts the scan counts before the deploy verdict', () => {
    const md = renderJobSummary(scanned, context);
    expect(md.indexOf('### ✅ Image scan: nothing at or above HIGH')).toBe(0);
    expect(md.indexOf('## ✅ Deployed to web')).toBeGreaterThan(md.indexOf('| MEDIUM | 5 |'));
  });

  it('says what a dry run would do, with secret references hidden', () => {
    const hidden = {
      family: 'web',
      containerDefinitions: [
        {
          name: 'web',
          image: `${REPOSITORY}@${DIGEST}`,
          secrets: [{ name: 'DB_PASSWORD', valueFrom: '(hidden)' }],
        },
      ],
    };
    const json = JSON.stringify(hidden, null, 2).replace(/"/g, '&quot;');
    expect(renderJobSummary({ dryRun: rendered() }, context)).toBe(
      `## Dry run: nothing was pushed, registered or deployed\n\n` +
        `Compared with \`${TD(6)}\`; rendered file \`/runner/temp/task-definition.json\`.\n\n` +
        `<pre>\n~ containerDefinitions[web].image: web@sha256:old → web@sha256:new\n</pre>\n\n` +
        `<details>\n<summary>Rendered task definition</summary>\n\n<pre>\n${json}\n</pre>\n\n</details>\n`,
    );
    const unchanged = renderJobSummary({ dryRun: rendered({ changes: [] }) }, context);
    expect(unchanged).toContain('<pre>\n(no changes: the current revision would be reused)\n</pre>');
  });

  it('starts the failure on a line of its own, after a blank one, so it never joins a table', () => {
    const md = renderJobSummary(blocked, context, scanLine);
    expect(md).toContain(`| HIGH | 2 |\n| MEDIUM | 0 |`);
    expect(md).toMatch(/\|\n\n\*\*❌ Step failed:\*\* Image scan found 3 finding\(s\)/);
  });

  it('escapes the failure line: text from AWS cannot add markup or break out of the line', () => {
    const md = renderJobSummary({}, context, 'ValidationException: bad <img src=x> | *x*\nsecond');
    expect(md).toBe(failed('ValidationException: bad &lt;img src=x&gt; &#124; \\*x\\* second'));
  });
});

describe('text from elsewhere cannot break the summary out of its place', () => {
  const HOSTILE = 'x`\n| injected | row |\r\n<img src=x onerror=alert(1)>\u2028## heading';
  const sections: Array<[string, string]> = [
    [
      'the dry run (path, revision, diff)',
      renderDryRunSection(rendered({ path: HOSTILE, against: HOSTILE, changes: [HOSTILE] })),
    ],
    [
      'the scan gate (an unknown severity from ECR)',
      renderScanSection({
        ...scan('passed'),
        verdict: { kind: 'passed', counts: { [HOSTILE]: 1 }, blocking: 0 },
      }),
    ],
    [
      'the scan gate (its reason)',
      renderScanSection({
        ...scan('passed'),
        verdict: { kind: 'unavailable', status: 'FAILED', reason: HOSTILE },
      }),
    ],
    ['a failure line', renderJobSummary({}, context, HOSTILE)],
    [
      'the deploy section (service, reason)',
      deploySection({
        ...throughRegister,
        deploy: deployed([
          serviceOutcome(HOSTILE, rollout({ state: 'FAILED', success: false, reason: HOSTILE })),
        ]),
      }),
    ],
  ];

  it.each(sections)('%s', (_name, markdown) => {
    expect(markdown).not.toMatch(/<img/);
    expect(markdown).not.toMatch(/^\| injected/m);
    expect(markdown).not.toMatch(/^## heading/m);
    expect(markdown).not.toMatch(/[\r\u2028]/);
  });
});
