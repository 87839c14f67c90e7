// The dry run's IAM policy, by table: which features the inputs turn on and how the names fill the README's
// policies (docs/iam/). The e2e (iam-policies.test.ts) proves a printed policy is enough for the real run.
import { describe, expect, it } from '@jest/globals';
import { featuresOf, neededPolicy, type RunShape } from '../../src/permissions.js';

const plain: RunShape = {
  push: false,
  rollback: true,
  codeDeploy: false,
  runTask: false,
  scanGate: false,
  keepRevisions: false,
  preview: undefined,
};

describe('featuresOf', () => {
  it.each<[string, Partial<RunShape>, string[]]>([
    ['a deploy of an image given by name', {}, ['deploy', 'rollback']],
    ['rollback: false', { rollback: false }, ['deploy']],
    [
      'push, scan gate, one-off task, cleanup',
      { push: 'ecr', scanGate: true, runTask: true, keepRevisions: true },
      ['push', 'deploy', 'rollback', 'run-task', 'scan', 'keep-revisions'],
    ],
    ['a push to ECR Public (its own actions)', { push: 'ecr-public' }, ['push-public', 'deploy', 'rollback']],
    ['CodeDeploy (no ECS rollback)', { codeDeploy: true }, ['deploy', 'codedeploy']],
    [
      'a preview (its own policy)',
      { push: 'ecr', preview: { listener: false, deleteImages: false } },
      ['push', 'preview'],
    ],
  ])('%s', (_what, over, features) => {
    expect(featuresOf({ ...plain, ...over })).toEqual(features);
  });
});

describe('neededPolicy', () => {
  const names = {
    REGION: 'eu-west-1',
    ACCOUNT: '111122223333',
    CLUSTER: 'prod',
    SERVICE: ['web', 'worker'],
    FAMILY: 'web',
  };

  it('fills the names, one ARN per service, and keeps placeholders it does not know', () => {
    const { policy } = neededPolicy({ ...plain, push: 'ecr' }, names, []);
    const update = policy.Statement.find((s) => s.Sid === 'UpdateAndWatchTheService');
    expect(update?.Resource).toEqual([
      'arn:aws:ecs:eu-west-1:111122223333:service/prod/web',
      'arn:aws:ecs:eu-west-1:111122223333:service/prod/worker',
    ]);
    const push = policy.Statement.find((s) => s.Sid === 'PushToTheRepository');
    expect(push?.Resource).toBe('arn:aws:ecr:eu-west-1:111122223333:repository/REPOSITORY');
    const tasks = policy.Statement.find((s) => s.Sid === 'ListItsTasks');
    expect(tasks?.Condition).toEqual({
      ArnEquals: { 'ecs:cluster': 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod' },
    });
  });

  it('names an ECR Public repository without a region, and its login with the bearer token', () => {
    const { policy } = neededPolicy(
      { ...plain, push: 'ecr-public' },
      { ...names, REPOSITORY: 'gallery' },
      [],
    );
    const push = policy.Statement.find((s) => s.Sid === 'PushToThePublicRepository');
    expect(push?.Resource).toBe('arn:aws:ecr-public::111122223333:repository/gallery');
    expect(push?.Action).toContain('ecr-public:PutImage');
    const login = policy.Statement.find((s) => s.Sid === 'PublicRegistryLogin');
    expect(login?.Action).toEqual(
      expect.arrayContaining(['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken']),
    );
    expect(JSON.stringify(policy)).not.toMatch(/"ecr:/);
  });

  it('passes exactly the roles the task definition names, and leaves iam:PassRole out without any', () => {
    const role = 'arn:aws:iam::111122223333:role/web-task';
    const pass = (roles: string[]) =>
      neededPolicy(plain, names, roles).policy.Statement.filter((s) => s.Action === 'iam:PassRole');
    expect(pass([role]).map((s) => s.Resource)).toEqual([role]);
    expect(pass([])).toEqual([]);
  });

  it("leaves out a preview's load-balancer and image-deletion statements unless asked for", () => {
    const sids = (preview: RunShape['preview']) =>
      neededPolicy({ ...plain, preview }, names, []).policy.Statement.map((s) => s.Sid);
    expect(sids({ listener: false, deleteImages: false })).not.toContain('PreviewListenerWrites');
    expect(sids({ listener: false, deleteImages: false })).not.toContain('PreviewDeleteImages');
    expect(sids({ listener: true, deleteImages: true })).toEqual(
      expect.arrayContaining(['PreviewListenerReads', 'PreviewListenerWrites', 'PreviewDeleteImages']),
    );
  });

  it('gives every statement its own Sid, as IAM requires', () => {
    const all: RunShape = {
      push: 'ecr',
      rollback: true,
      codeDeploy: true,
      runTask: true,
      scanGate: true,
      keepRevisions: true,
      preview: undefined,
    };
    const sids = neededPolicy(all, names, []).policy.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });
});
