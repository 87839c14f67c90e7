import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { DescribeRegistriesCommand } from '@aws-sdk/client-ecr-public';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  clientConfig,
  createClients,
  createCodeDeployClient,
  createEcrPublicClient,
} from '../../../src/aws/clients.js';
import { classifyAwsError, type ErrorKind } from '../../../src/aws/errors.js';

// A local endpoint for every service (AWS_ENDPOINT_URL, as the sandbox is reached): the requests the
// clients really send, and the errors the SDK really builds from AWS's answers. (Not a refused connection:
// under jest's VM modules Node's socket errors come from another realm, and the SDK wraps them without their
// code; errors.test.ts has them raw, as the action gets them.)
const { version } = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const seen: IncomingHttpHeaders[] = [];
let answer: { status: number; body: object } = { status: 200, body: {} };
let server: Server;
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'AKIDCLIENTSTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
});

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  answer = { status: 200, body: {} };
});

/** The region and service a request was signed for, from its SigV4 credential scope. */
function scope(headers: IncomingHttpHeaders): { region: string; service: string } {
  const [, region = '', service = ''] =
    /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(headers.authorization ?? '') ?? [];
  return { region, service };
}

describe('every client', () => {
  const sends: Array<[string, () => Promise<unknown>, { region: string; service: string }]> = [
    [
      'ECS',
      () => createClients('eu-west-1').ecs.send(new DescribeClustersCommand({})),
      { region: 'eu-west-1', service: 'ecs' },
    ],
    [
      'ECR',
      () => createClients('eu-west-1').ecr.send(new DescribeRepositoriesCommand({})),
      { region: 'eu-west-1', service: 'ecr' },
    ],
    [
      'ECR Public',
      async () => (await createEcrPublicClient()).send(new DescribeRegistriesCommand({})),
      { region: 'us-east-1', service: 'ecr-public' },
    ],
    [
      'CodeDeploy',
      async () => (await createCodeDeployClient('ap-south-1')).send(new ListApplicationsCommand({})),
      { region: 'ap-south-1', service: 'codedeploy' },
    ],
  ];

  it.each(sends)(
    '%s: says it is ecs-ship at the version package.json gives, signed for its region',
    async (_n, send, signed) => {
      await send();
      expect(seen).toHaveLength(1);
      const [headers = {}] = seen;
      expect(String(headers['user-agent'])).toContain(`ecs-ship/${version}`);
      expect(scope(headers)).toEqual(signed);
    },
  );

  it('makes up to 8 attempts at a call', async () => {
    expect(await new ECSClient(clientConfig('eu-west-1')).config.maxAttempts()).toBe(8);
  });
});

describe('errors as the SDK builds them from AWS answers', () => {
  // One attempt: the SDK's own retries are not what is tested here.
  const ecs = () => new ECSClient({ ...clientConfig('eu-west-1'), maxAttempts: 1 });

  it.each<[string, number, object, ErrorKind]>([
    ['ThrottlingException', 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, 'transient'],
    ['AccessDeniedException', 400, { __type: 'AccessDeniedException', message: 'not authorized' }, 'denied'],
    ['ClusterNotFoundException', 400, { __type: 'ClusterNotFoundException', message: 'no' }, 'not-found'],
    ['ServerException', 500, { __type: 'ServerException', message: 'oops' }, 'transient'],
    ['a 503 without a body AWS would send', 503, {}, 'transient'],
    ['ClientException', 400, { __type: 'ClientException', message: 'bad' }, 'fatal'],
  ])('%s → %s', async (_n, status, body, kind) => {
    answer = { status, body };
    const err = await ecs()
      .send(new DescribeClustersCommand({}))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toMatchObject({ $metadata: { httpStatusCode: status } });
    expect(classifyAwsError(err)).toBe(kind);
  });
});
