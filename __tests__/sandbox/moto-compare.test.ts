import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRegistry, type RegistryProcess } from '../../sandbox/registry.js';
import { startAwsSandbox, type AwsSandbox } from '../../sandbox/server.js';
import { closeAndCheck } from '../../sandbox/model-check.js';
import { signedFetch } from './helpers.js';
import { startMoto, type Moto } from './moto.js';

/**
 * The same requests to the sandbox and to moto, an emulator written by other people from the same AWS
 * documentation: the answers must agree on whether the call succeeds and on the error code, every member
 * moto fills must be in the sandbox's answer too (a sandbox thinner than moto is kinder than AWS), and the
 * defaults ECS and ECR fill in must have the same values. The sandbox may say more than moto (moto lags AWS;
 * the model check covers what the sandbox says).
 */

const TARGETS = { ecs: 'AmazonEC2ContainerServiceV20141113', ecr: 'AmazonEC2ContainerRegistry_V20150921' };
type Service = keyof typeof TARGETS;
type Step = [Service, string, Record<string, unknown>];

const awsvpcTaskDef = {
  family: 'cmp-web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'web', image: 'nginx:1.27', portMappings: [{ containerPort: 80 }] }],
  tags: [{ key: 'team', value: 'web' }],
};
const bridgeTaskDef = {
  family: 'cmp-worker',
  networkMode: 'bridge',
  containerDefinitions: [
    {
      name: 'worker',
      image: 'busybox',
      memory: 128,
      essential: true,
      portMappings: [{ containerPort: 8080 }],
    },
  ],
};

const SUBNET = '$subnet';
const GROUP = '$security-group';

/** One conversation a deploy has with ECS and ECR, plus the refusals it must understand. */
const STEPS: Step[] = [
  ['ecs', 'CreateCluster', { clusterName: 'cmp' }],
  ['ecs', 'RegisterTaskDefinition', awsvpcTaskDef],
  ['ecs', 'RegisterTaskDefinition', bridgeTaskDef],
  ['ecs', 'RegisterTaskDefinition', { ...awsvpcTaskDef, tags: undefined }],
  ['ecs', 'DescribeTaskDefinition', { taskDefinition: 'cmp-web:1', include: ['TAGS'] }],
  ['ecs', 'DescribeTaskDefinition', { taskDefinition: 'cmp-worker' }],
  ['ecs', 'DescribeTaskDefinition', { taskDefinition: 'cmp-missing:1' }],
  ['ecs', 'ListTaskDefinitions', { familyPrefix: 'cmp-web' }],
  [
    'ecs',
    'CreateService',
    {
      cluster: 'cmp',
      serviceName: 'web',
      taskDefinition: 'cmp-web:1',
      desiredCount: 0,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: [SUBNET], securityGroups: [GROUP], assignPublicIp: 'DISABLED' },
      },
    },
  ],
  ['ecs', 'DescribeServices', { cluster: 'cmp', services: ['web', 'absent'] }],
  ['ecs', 'UpdateService', { cluster: 'cmp', service: 'absent', taskDefinition: 'cmp-web:2' }],
  ['ecs', 'DeregisterTaskDefinition', { taskDefinition: 'cmp-web:2' }],
  ['ecr', 'CreateRepository', { repositoryName: 'cmp/app' }],
  ['ecr', 'CreateRepository', { repositoryName: 'cmp/app' }],
  ['ecr', 'DescribeRepositories', { repositoryNames: ['cmp/app'] }],
  ['ecr', 'DescribeRepositories', { repositoryNames: ['cmp/absent'] }],
  ['ecr', 'BatchGetImage', { repositoryName: 'cmp/absent', imageIds: [{ imageTag: 'v1' }] }],
  ['ecr', 'BatchGetImage', { repositoryName: 'cmp/app', imageIds: [{ imageTag: 'v1' }] }],
  ['ecr', 'DescribeImages', { repositoryName: 'cmp/app' }],
  ['ecr', 'GetAuthorizationToken', {}],
];

/** Members whose values are ECS's or ECR's own defaults: both must fill them the same way. */
const DEFAULTS =
  /(\.essential|\.cpu|\.hostPort|\.protocol|\.status|\.networkMode|\.compatibilities\[\]|\.imageTagMutability|\.scanOnPush|\.encryptionType|\.failures\[\]\.reason|\.launchType|\.schedulingStrategy)$/;

/**
 * Where moto and the sandbox differ and the sandbox is the one that agrees with AWS: each named with what
 * ECS or ECR really does, so nothing else can hide behind it.
 */
const MOTO_IS_WRONG: Record<string, string> = {
  'ecs:CreateService.service.taskSets':
    'task sets belong to EXTERNAL and CODE_DEPLOY deployment controllers; an ECS-controlled service has none to list',
  'ecs:DescribeServices.services[].taskSets': 'as for CreateService',
  'ecs:CreateService.service.tags': 'ECS sends no tags member for a service created without tags',
};

interface Answer {
  status: number;
  code?: string;
  body: unknown;
}

async function ask(endpoint: string, [service, operation, body]: Step): Promise<Answer> {
  const res = await signedFetch(endpoint, `${TARGETS[service]}.${operation}`, JSON.stringify(body), service);
  const parsed = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return { status: res.status, body: parsed };
  const type = String(parsed.__type ?? res.headers.get('x-amzn-errortype') ?? '');
  return {
    status: res.status,
    code: type.split('#').pop()?.split(':')[0] || `HTTP ${res.status}`,
    body: parsed,
  };
}

/** Every member path of a JSON answer with its leaf values: `taskDefinition.containerDefinitions[].cpu`. */
function leaves(value: unknown, path = '', out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (Array.isArray(value)) {
    if (!out.has(path)) out.set(path, []);
    for (const item of value) leaves(item, `${path}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) leaves(member, path ? `${path}.${key}` : key, out);
  } else {
    out.set(path, [...(out.get(path) ?? []), value]);
  }
  return out;
}

function compare(step: Step, sandbox: Answer, moto: Answer): string[] {
  const name = `${step[0]}:${step[1]}`;
  if (sandbox.code !== moto.code) {
    const said = (a: Answer) =>
      a.code ? `${a.code} ${JSON.stringify(a.body).slice(0, 200)}` : String(a.status);
    return [`${name}: sandbox answered ${said(sandbox)}, moto ${said(moto)}`];
  }
  if (sandbox.code) return [];
  const ours = leaves(sandbox.body);
  const theirs = leaves(moto.body);
  const findings: string[] = [];
  for (const [path, values] of theirs) {
    const finding = !ours.has(path)
      ? `${name}.${path}: moto fills it, the sandbox does not`
      : DEFAULTS.test(`.${path}`) && JSON.stringify(values) !== JSON.stringify(ours.get(path))
        ? `${name}.${path}: sandbox ${JSON.stringify(ours.get(path))}, moto ${JSON.stringify(values)}`
        : undefined;
    if (finding && !(`${name}.${path}` in MOTO_IS_WRONG)) findings.push(finding);
  }
  return findings;
}

/**
 * ECS refuses a subnet or security group that does not exist (moto too); the sandbox has no EC2 and takes any
 * id. So they are made in moto's EC2 first, and both are asked with those ids.
 */
async function motoNetwork(endpoint: string): Promise<{ subnet: string; group: string }> {
  const ec2 = async (params: Record<string, string>): Promise<string> => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        // moto routes by the credential scope's service and does not check the signature.
        authorization:
          'AWS4-HMAC-SHA256 Credential=x/20261203/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=x',
      },
      body: new URLSearchParams({ ...params, Version: '2016-11-15' }).toString(),
    });
    return res.text();
  };
  const vpc = /<vpcId>([^<]+)<\/vpcId>/.exec(
    await ec2({ Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' }),
  )?.[1];
  const subnet = await ec2({ Action: 'CreateSubnet', VpcId: vpc ?? '', CidrBlock: '10.0.1.0/24' });
  const id = /<subnetId>([^<]+)<\/subnetId>/.exec(subnet)?.[1];
  const sg = await ec2({
    Action: 'CreateSecurityGroup',
    GroupName: 'web',
    GroupDescription: 'web',
    VpcId: vpc ?? '',
  });
  const group = /<groupId>([^<]+)<\/groupId>/.exec(sg)?.[1];
  if (!id || !group)
    throw new Error(`moto made no subnet or security group: ${subnet.slice(0, 200)} ${sg.slice(0, 200)}`);
  return { subnet: id, group };
}

let registry: RegistryProcess;
let sandbox: AwsSandbox;
let moto: Moto;

beforeAll(async () => {
  [registry, moto] = await Promise.all([startRegistry({ tls: false }), startMoto()]);
  sandbox = await startAwsSandbox({ registry, timeScale: 20 });
}, 60_000);

afterAll(async () => {
  await closeAndCheck(sandbox);
  await Promise.all([registry?.stop(), moto?.stop()]);
});

describe('the sandbox beside moto', () => {
  it('agrees with moto on every answer of a deploy conversation, or says why moto is wrong', async () => {
    const { subnet, group } = await motoNetwork(moto.endpoint);
    const findings: string[] = [];
    for (const template of STEPS) {
      const step = JSON.parse(
        JSON.stringify(template).replaceAll(SUBNET, subnet).replaceAll(GROUP, group),
      ) as Step;
      const [ours, theirs] = await Promise.all([ask(sandbox.endpoint, step), ask(moto.endpoint, step)]);
      findings.push(...compare(step, ours, theirs));
    }
    expect(findings).toEqual([]);
  }, 60_000);

  it('finds a difference when there is one', () => {
    const step: Step = ['ecs', 'DescribeTaskDefinition', {}];
    const container = { name: 'web', essential: true, portMappings: [{ containerPort: 80, hostPort: 80 }] };
    const thinner = { status: 200, body: { taskDefinition: { containerDefinitions: [{ name: 'web' }] } } };
    const full = { status: 200, body: { taskDefinition: { containerDefinitions: [container] } } };
    expect(compare(step, thinner, full)).toEqual([
      'ecs:DescribeTaskDefinition.taskDefinition.containerDefinitions[].essential: moto fills it, the sandbox does not',
      'ecs:DescribeTaskDefinition.taskDefinition.containerDefinitions[].portMappings: moto fills it, the sandbox does not',
      'ecs:DescribeTaskDefinition.taskDefinition.containerDefinitions[].portMappings[].containerPort: moto fills it, the sandbox does not',
      'ecs:DescribeTaskDefinition.taskDefinition.containerDefinitions[].portMappings[].hostPort: moto fills it, the sandbox does not',
    ]);
    expect(compare(step, { status: 400, code: 'ClientException', body: {} }, full)).toEqual([
      'ecs:DescribeTaskDefinition: sandbox answered ClientException {}, moto 200',
    ]);
  });
});
