import { describe, expect, it } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import { unchangedService } from '../../../src/deploy/unchanged.js';

const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`;

function service(over: Partial<Service> = {}): Service {
  return {
    status: 'ACTIVE',
    taskDefinition: TD(7),
    desiredCount: 2,
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    deployments: [
      {
        id: 'ecs-svc/1',
        status: 'PRIMARY',
        taskDefinition: TD(7),
        runningCount: 2,
        desiredCount: 2,
        rolloutState: 'COMPLETED',
      },
    ],
    ...over,
  };
}

type Call = Parameters<typeof unchangedService>[2];
const call: Call = { forceNewDeployment: false, desiredCount: undefined, deploymentConfiguration: undefined };

describe('unchangedService: a re-run that would change nothing', () => {
  it('says what the service already runs', () => {
    expect(unchangedService(service(), TD(7), call)).toBe(
      'it already runs web:7 (2/2 running, deployment COMPLETED)',
    );
  });

  it.each<[string, Service | undefined, string, Partial<Call>]>([
    ['a new revision', service(), TD(8), {}],
    ['force-new-deployment', service(), TD(7), { forceNewDeployment: true }],
    ['another desired count', service(), TD(7), { desiredCount: 3 }],
    ['a strategy change', service(), TD(7), { deploymentConfiguration: { strategy: 'BLUE_GREEN' } }],
    [
      'a deployment still rolling',
      service({ deployments: [{ ...service().deployments?.[0], rolloutState: 'IN_PROGRESS' }] }),
      TD(7),
      {},
    ],
    [
      'two deployments',
      service({
        deployments: [...(service().deployments ?? []), { status: 'ACTIVE', taskDefinition: TD(6) }],
      }),
      TD(7),
      {},
    ],
    ['a draining service', service({ status: 'DRAINING' }), TD(7), {}],
    ['a CodeDeploy service', service({ deploymentController: { type: 'CODE_DEPLOY' } }), TD(7), {}],
    ['no service', undefined, TD(7), {}],
  ])('deploys for %s', (_what, described, arn, over) => {
    expect(unchangedService(described, arn, { ...call, ...over })).toBeUndefined();
  });

  it('the same count and the same configuration given again change nothing', () => {
    const same = {
      desiredCount: 2,
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
    };
    expect(unchangedService(service(), TD(7), { ...call, ...same })).toBeDefined();
  });
});
