import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  ClientException,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  type ListServicesCommandInput,
  type ListTaskDefinitionsCommandInput,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { cleanupRevisions, planCleanup } from '../../../src/deploy/revisions.js';

const ARN = (family: string, rev: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${rev}`;
const web = (rev: number) => ARN('web', rev);

/**
 * A list answered as ECS pages it: each page but the last names the next one's token, a token it never gave
 * is refused. `asked` records every request as it was when sent (the SDK's paginator reuses one input).
 */
function paged<Input extends { nextToken?: string | undefined }, Page>(pages: Page[], asked: Input[]) {
  return (input: Input) => {
    asked.push({ ...input });
    const i = input.nextToken === undefined ? 0 : pages.findIndex((_, n) => `page-${n}` === input.nextToken);
    const page = pages[i];
    if (i < 0 || !page) throw new Error(`no page for nextToken ${input.nextToken}`);
    return { ...page, ...(i + 1 < pages.length ? { nextToken: `page-${i + 1}` } : {}) };
  };
}

describe('planCleanup', () => {
  it.each<[string, string[], number, string[], string[], string[]]>([
    [
      'keeps the newest N',
      [web(5), web(4), web(3), web(2), web(1)],
      2,
      [],
      [web(5), web(4)],
      [web(3), web(2), web(1)],
    ],
    [
      'never removes a revision a service uses, however old',
      [web(5), web(4), web(3), web(2), web(1)],
      1,
      ['web:2', web(4)],
      [web(5), web(4), web(2)],
      [web(3), web(1)],
    ],
    [
      'familyPrefix is a prefix: other families are not ours',
      [ARN('web-worker', 9), web(3), ARN('web-api', 1), web(2), web(1)],
      1,
      [],
      [web(3)],
      [web(2), web(1)],
    ],
    [
      'orders by revision number, not by what the API returned',
      [web(1), web(10), web(9), web(2)],
      2,
      [],
      [web(10), web(9)],
      [web(2), web(1)],
    ],
    ['fewer revisions than N: nothing to do', [web(2), web(1)], 5, [], [web(2), web(1)], []],
  ])('%s', (_n, revisions, keep, inUse, kept, removed) => {
    expect(planCleanup({ family: 'web', revisions, keep, inUse })).toEqual({ keep: kept, remove: removed });
  });
});

describe('cleanupRevisions', () => {
  const ecsMock = mockClient(ECSClient);
  const ecs = new ECSClient({ region: 'us-east-1' });
  let lines: string[] = [];
  const log = (line: string) => lines.push(line);
  let revisionPages: ListTaskDefinitionsCommandInput[] = [];
  let servicePages: ListServicesCommandInput[] = [];

  beforeEach(() => {
    ecsMock.reset();
    lines = [];
    revisionPages = [];
    servicePages = [];
    // Three pages of revisions and two of services: web:1 and the canary service are only on the last.
    ecsMock
      .on(ListTaskDefinitionsCommand)
      .callsFake(
        paged(
          [
            { taskDefinitionArns: [web(6), web(5)] },
            { taskDefinitionArns: [web(4), web(3)] },
            { taskDefinitionArns: [web(2), web(1)] },
          ],
          revisionPages,
        ),
      );
    ecsMock
      .on(ListServicesCommand)
      .callsFake(paged([{ serviceArns: ['svc-web'] }, { serviceArns: ['svc-canary'] }], servicePages));
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        { serviceName: 'web', taskDefinition: web(6), deployments: [{ taskDefinition: web(6) }] },
        // A service mid-deploy still drains web:3: it stays.
        {
          serviceName: 'canary',
          taskDefinition: web(2),
          deployments: [{ taskDefinition: web(2) }, { taskDefinition: web(3) }],
        },
      ],
    });
    ecsMock.on(DeregisterTaskDefinitionCommand).resolves({});
  });

  it('deregisters what is neither among the newest N nor in use, and prints it', async () => {
    const result = await cleanupRevisions(ecs, { cluster: 'prod', family: 'web', keep: 2 }, log);
    expect(result).toEqual({
      deregistered: [web(4), web(1)],
      kept: [web(6), web(5), web(3), web(2)],
      warnings: [],
    });
    expect(
      ecsMock.commandCalls(DeregisterTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition),
    ).toEqual([web(4), web(1)]);
    const revisionsOfWeb = { familyPrefix: 'web', status: 'ACTIVE', sort: 'DESC' };
    expect(revisionPages).toEqual([
      revisionsOfWeb,
      { ...revisionsOfWeb, nextToken: 'page-1' },
      { ...revisionsOfWeb, nextToken: 'page-2' },
    ]);
    expect(servicePages).toEqual([{ cluster: 'prod' }, { cluster: 'prod', nextToken: 'page-1' }]);
    expect(ecsMock.commandCalls(DescribeServicesCommand)[0]?.args[0].input).toEqual({
      cluster: 'prod',
      services: ['svc-web', 'svc-canary'],
    });
    expect(lines).toEqual([
      'Keeping web:6, web:5, web:3, web:2 (newest 2, and any a service in cluster prod uses)',
      'Deregistered web:4',
      'Deregistered web:1',
    ]);
  });

  it('deregisters nothing when the services cannot be listed, and warns', async () => {
    ecsMock
      .on(ListServicesCommand)
      .rejects(new AccessDeniedException({ message: 'no ecs:ListServices', $metadata: {} }));
    const result = await cleanupRevisions(ecs, { cluster: 'prod', family: 'web', keep: 1 }, log);
    expect(result.deregistered).toEqual([]);
    expect(result.warnings).toEqual([
      'Revision cleanup skipped, nothing deregistered: AccessDeniedException: no ecs:ListServices',
    ]);
    expect(ecsMock.commandCalls(DeregisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('warns about one revision it cannot deregister and goes on with the rest', async () => {
    ecsMock
      .on(DeregisterTaskDefinitionCommand, { taskDefinition: web(4) })
      .rejects(new ClientException({ message: 'busy', $metadata: {} }));
    const result = await cleanupRevisions(ecs, { cluster: 'prod', family: 'web', keep: 2 }, log);
    expect(result.deregistered).toEqual([web(1)]);
    expect(result.warnings).toEqual(['Could not deregister web:4: ClientException: busy']);
  });
});
