/**
 * A preview that does not exist yet is created, not updated: the plan's permission check asks IAM's simulator
 * about ecs:CreateService on the preview (and, behind a load balancer, the rule and target group it adds), so
 * a principal lacking one fails in one line before any write — no revision, no GitHub deployment, no comment.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { PolicyDocument } from '../../sandbox/iam-policy.js';
import { errorLines } from '../../sandbox/runner.js';
import { sandboxEcs } from '../../sandbox/seed.js';
import { holdTo, namesFor, policy, without } from './iam-helpers.js';
import {
  type PreviewEnvironment,
  runOnPullRequest,
  seedTemplate,
  seedTemplateBehindAlb,
  startPreviewEnvironment,
} from './preview-helpers.js';

let environment: PreviewEnvironment;
let ecs: ECSClient;
let deployer: { accessKeyId: string; secretAccessKey: string; arn: string };

// The documented policies leave the simulator out; a principal that turns the check on adds this.
const SIMULATE: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: '*' }],
};

beforeAll(async () => {
  environment = await startPreviewEnvironment({ timeScale: 20 });
  ecs = sandboxEcs(environment.env);
  deployer = environment.aws.iam.addUser('previewer');
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/** Opens PR `number` as `deployer`, held to `policies`; what it printed, wrote and told GitHub. */
async function openAs(number: number, policies: PolicyDocument[], inputs: Record<string, string>) {
  holdTo(environment.aws, deployer.arn, [...policies, SIMULATE]);
  const since = environment.aws.requests.length;
  const env = {
    ...environment.env,
    AWS_ACCESS_KEY_ID: deployer.accessKeyId,
    AWS_SECRET_ACCESS_KEY: deployer.secretAccessKey,
  };
  const { main } = await runOnPullRequest({ ...environment, env }, { action: 'opened', number }, inputs);
  const service = inputs.service ?? '';
  return {
    code: main.code,
    errors: errorLines(main),
    writes: environment.aws.requests
      .slice(since)
      .filter((r) => r.write && r.principal === deployer.arn)
      .map((r) => r.operation),
    deployments: environment.github.state.deployments({ environment: `${service}-pr-${number}` }),
    comments: environment.github.state.comments(number),
  };
}

const nothingWritten = (error: RegExp) => ({
  code: 1,
  errors: [expect.stringMatching(error)],
  writes: [],
  deployments: [],
  comments: [],
});

describe('opening a preview without a permission its creation needs', () => {
  it('no ecs:CreateService: one line naming the action and the preview service, nothing written', async () => {
    await seedTemplate(ecs, 'pp-web', {});
    const names = namesFor('pp-web');
    const result = await openAs(11, [without(policy('preview', names), 'ecs:CreateService')], {
      service: 'pp-web',
      containers: 'app=public.ecr.aws/nginx/nginx:1.27',
    });
    expect(result).toEqual(
      nothingWritten(
        /^::error::Access denied before any change: arn:aws:iam::123456789012:user\/previewer may not ecs:CreateService on arn:aws:ecs:us-east-1:123456789012:service\/default\/pp-web-pr-11 .*allow ecs:CreateService/,
      ),
    );
  }, 120_000);

  it('behind a load balancer, no elasticloadbalancing:CreateRule: named before any write', async () => {
    const alb = await seedTemplateBehindAlb(environment.aws, ecs, 'pp-alb', {
      listeners: [{ port: 443, protocol: 'HTTPS' }],
      targetGroup: { Port: 80 },
    });
    const names = { ...namesFor('pp-alb'), LOAD_BALANCER: 'pp-alb' };
    const result = await openAs(12, [without(policy('preview', names), 'elasticloadbalancing:CreateRule')], {
      service: 'pp-alb',
      containers: 'app=public.ecr.aws/nginx/nginx:1.27',
      'preview-listener-arn': alb.listenerArn,
      'preview-host': 'pr-{number}.preview.example.com',
    });
    const listener = alb.listenerArn.replace(/[/.]/g, '\\$&');
    expect(result).toEqual(
      nothingWritten(
        new RegExp(
          `before any change: \\S+user/previewer may not elasticloadbalancing:CreateRule on ${listener} .*allow elasticloadbalancing:CreateRule`,
        ),
      ),
    );
  }, 120_000);

  it('with the whole preview policy the same preview opens (the check asks nothing it does not need)', async () => {
    const names = namesFor('pp-web');
    const result = await openAs(13, [policy('preview', names)], {
      service: 'pp-web',
      containers: 'app=public.ecr.aws/nginx/nginx:1.27',
    });
    expect({ code: result.code, errors: result.errors }).toEqual({ code: 0, errors: [] });
    expect(result.writes).toEqual(expect.arrayContaining(['RegisterTaskDefinition', 'CreateService']));
  }, 120_000);
});
