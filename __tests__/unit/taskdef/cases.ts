import { join } from 'node:path';
import { readTaskDefinitionInputs } from '../../../src/inputs/taskdef.js';
import { loadTaskDefinitionFile, type TaskDefinitionDoc } from '../../../src/taskdef/load.js';
import { renderTaskDefinition, resolveContainers } from '../../../src/taskdef/render.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/taskdef');
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web@sha256:${'ab'.repeat(32)}`;

/** A realistic task definition and the step inputs a team would give for it; `golden` is the expected render. */
export interface RenderCase {
  fixture: string;
  golden: string;
  inputs: Record<string, string>;
}

export const CASES: RenderCase[] = [
  {
    fixture: 'fargate-sidecars.json',
    golden: 'fargate-sidecars-web-xray.json',
    inputs: {
      containers: 'web\nxray=public.ecr.aws/xray/aws-xray-daemon:3.3.14',
      'environment-variables':
        'DATABASE_URL=postgres://app@db:5432/shop?sslmode=verify-full&options=-c%20x=1\nFEATURE_FLAGS=\nNEW_EMPTY=\n-BASE64_KEY',
      command: `node server.js --title "Black Friday" --motd 'it'\\''s on' --path=C:\\\\x`,
      'docker-labels': 'deployed-by=ecs-ship\n-empty',
    },
  },
  {
    fixture: 'fargate-sidecars.json',
    golden: 'fargate-sidecars-logs.json',
    inputs: {
      containers: 'web\nlog-router',
      'log-configuration-options': 'log_key=\nretry_limit=2\n-auto_create_group',
      secrets:
        'SESSION_KEY=arn:aws:ssm:eu-west-1:123456789012:parameter/storefront/session-v2\nAPI_TOKEN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-AbCdEf',
    },
  },
  {
    fixture: 'app-mesh.yaml',
    golden: 'app-mesh.json',
    inputs: {
      containers: 'app',
      command: '["java", "-jar", "/app/catalog.jar", "--spring.profiles.active=prod,mesh,canary"]',
      'environment-variables': 'CATALOG_FILTER=status=active&region=eu',
    },
  },
  {
    fixture: 'ebs-configured-at-launch.json',
    golden: 'ebs-configured-at-launch.json',
    inputs: { containers: '', cpu: '4 vCPU', memory: '8192' },
  },
  {
    fixture: 'ec2-placement.json',
    golden: 'ec2-placement.json',
    inputs: {
      containers: 'trainer',
      'task-role-arn': 'arn:aws:iam::123456789012:role/trainer',
      'execution-role-arn': 'ecsTaskExecutionRole',
      'env-files': 'arn:aws:s3:::gpu-batch-config/trainer.env',
    },
  },
  { fixture: 'describe-task-definition.json', golden: 'describe-task-definition.json', inputs: {} },
  { fixture: 'console-export.json', golden: 'console-export.json', inputs: { containers: 'api' } },
  {
    fixture: 'console-export-nulls.json',
    golden: 'console-export-nulls.json',
    inputs: { secrets: 'SECRET_KEY_BASE=arn:aws:ssm:ap-southeast-2:123456789012:parameter/jobs/skb' },
  },
];

export async function renderCase(
  c: RenderCase,
): Promise<{ base: TaskDefinitionDoc; rendered: TaskDefinitionDoc }> {
  const base = await loadTaskDefinitionFile(join(FIXTURES, c.fixture));
  const inputs = readTaskDefinitionInputs((name) => c.inputs[name] ?? '');
  const containers = resolveContainers(base, inputs.containers);
  const rendered = renderTaskDefinition(base, {
    containers,
    image: IMAGE,
    images: inputs.images,
    changes: inputs.changes,
  });
  return { base, rendered };
}
