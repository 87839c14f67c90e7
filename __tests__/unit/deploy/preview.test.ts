import { describe, expect, it } from '@jest/globals';
import { digestsIn, digestsInUse, refIn } from '../../../src/deploy/preview-images.js';
import {
  ecsName,
  previewController,
  previewFamily,
  previewServiceInput,
} from '../../../src/deploy/preview.js';
import { clipDescription } from '../../../src/github/deployments.js';
import { renderPreviewComment } from '../../../src/report/pr-comment.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('ecsName and previewFamily', () => {
  it.each([
    ['as it is', 'web-pr-7', 'web-pr-7'],
    ['other characters to -', 'my app/pr 7', 'my-app-pr-7'],
    ['no runs or ends of -', '--web--pr--7--', 'web-pr-7'],
    ['never empty', '::', 'preview'],
    ['at most 255', 'x'.repeat(300), 'x'.repeat(255)],
  ])('%s', (_, raw, name) => {
    expect(ecsName(raw)).toBe(name);
  });

  it('keeps the -pr-N suffix whole when the family is long', () => {
    const family = previewFamily('f'.repeat(255), 12345);
    expect(family).toHaveLength(255);
    expect(family.endsWith('-pr-12345')).toBe(true);
  });
});

describe('previewServiceInput', () => {
  const base = {
    cluster: 'c',
    name: 'web-pr-7',
    taskDefinitionArn: 'td',
    desiredCount: 1,
    owner: 'o/r/pull/7',
  };

  it('takes the capacity providers, not the launch type, when the template has both shown', () => {
    const input = previewServiceInput({
      ...base,
      template: {
        launchType: 'FARGATE',
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        tags: [
          { key: 'team', value: 'web' },
          { key: 'aws:cloudformation:stack-name', value: 's' },
          { key: 'ecs-ship:preview', value: 'o/r/pull/1' },
        ],
      },
    });
    expect(input).toMatchObject({
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    });
    expect(input).not.toHaveProperty('launchType');
    // aws: tags are ECS's own (CreateService refuses them); the template's own preview tag is replaced.
    expect(input.tags).toEqual([
      { key: 'team', value: 'web' },
      { key: 'ecs-ship:preview', value: 'o/r/pull/7' },
    ]);
  });
});

describe('the deployment controller and configuration of a new preview', () => {
  it.each([
    ['ECS stays ECS', { type: 'ECS' as const }, { type: 'ECS' }],
    [
      "CODE_DEPLOY becomes ECS (the deployment group is the template's)",
      { type: 'CODE_DEPLOY' as const },
      { type: 'ECS' },
    ],
    ['EXTERNAL becomes ECS', { type: 'EXTERNAL' as const }, { type: 'ECS' }],
    ['none stays none', undefined, undefined],
  ])('%s', (_, controller, expected) => {
    expect(previewController({ deploymentController: controller })).toEqual(expected);
  });

  it("takes the strategy inputs' configuration over the template's", () => {
    const base = { cluster: 'c', name: 'web-pr-7', taskDefinitionArn: 'td', desiredCount: 1, owner: 'o' };
    const template = { deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 } };
    expect(previewServiceInput({ ...base, template }).deploymentConfiguration).toEqual(
      template.deploymentConfiguration,
    );
    const given = {
      ...template.deploymentConfiguration,
      strategy: 'BLUE_GREEN' as const,
      bakeTimeInMinutes: 0,
    };
    expect(
      previewServiceInput({ ...base, template, deploymentConfiguration: given }).deploymentConfiguration,
    ).toEqual(given);
  });
});

describe('which preview images a service still runs', () => {
  it.each([
    [`1.dkr.ecr.us-east-1.amazonaws.com/web@${D1}`, 'web', { digest: D1 }],
    ['1.dkr.ecr.us-east-1.amazonaws.com/web:main', 'web', { tag: 'main' }],
    ['127.0.0.1:5000/team/web', 'team/web', { tag: 'latest' }],
    [`1.dkr.ecr.us-east-1.amazonaws.com/web:main@${D1}`, 'web', { digest: D1 }],
    ['127.0.0.1:5000/team/web', 'web', undefined],
    ['127.0.0.1:5000/other:main', 'web', undefined],
    ['web:main', 'web', undefined],
    ['public.ecr.aws/nginx/nginx:stable', 'web', undefined],
  ])('%s in %s', (uri, repository, ref) => {
    expect(refIn(uri, repository)).toEqual(ref);
  });

  it("the family's digests in the repository, each once", () => {
    const host = '1.dkr.ecr.us-east-1.amazonaws.com';
    const images = [`${host}/web@${D1}`, `${host}/web:pr-7@${D1}`, `${host}/web:pr-7`, `${host}/api@${D2}`];
    expect(digestsIn(images, 'web')).toEqual([D1]);
  });

  it('by digest, or by a tag that is on the digest', () => {
    const tags: Record<string, string[]> = { [D1]: ['pr-7'], [D2]: ['pr-7-b', 'main'] };
    const used = digestsInUse([D1, D2], [{ tag: 'main' }], (d) => tags[d] ?? []);
    expect([...used]).toEqual([D2]);
    expect([...digestsInUse([D1, D2], [{ digest: D1 }], () => [])]).toEqual([D1]);
  });
});

describe('clipDescription', () => {
  it('leaves 140 characters as they are, cuts more with …, and never half an emoji', () => {
    expect(clipDescription('a'.repeat(140))).toBe('a'.repeat(140));
    const cut = clipDescription(`${'a'.repeat(138)}😀😀`);
    expect(cut).toBe(`${'a'.repeat(138)}…`);
    expect(clipDescription('one\nline')).toBe('one line');
  });
});

describe('renderPreviewComment', () => {
  it('keeps a hostile reason inside its table cell', () => {
    const body = renderPreviewComment({
      kind: 'deployed',
      success: false,
      service: 'web-pr-7',
      url: 'https://pr-7.example.com/a_b',
      digest: D1,
      revision: 'web-pr-7:3',
      durationMs: 61_000,
      runUrl: 'https://github.com/o/r/actions/runs/1',
      sha: 'abcdef0123456789',
      reason: 'boom | <b>x</b>\n| injected | row |',
    });
    const reasonRows = body.split('\n').filter((l) => l.startsWith('| Reason |'));
    expect(reasonRows).toHaveLength(1);
    expect(body).not.toContain('<b>');
    expect(body).toContain('| URL | <https://pr-7.example.com/a_b> |');
    expect(body).toContain('| Rollout time | 1m 1s |');
  });
});
