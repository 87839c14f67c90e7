import type { Service } from '@aws-sdk/client-ecs';
import { containerList } from './containers.js';
import { isObject, own } from './json.js';
import type { TaskDefinitionDoc } from './load.js';

// Pure: whether a task definition can run where the step deploys it. RegisterTaskDefinition takes a
// task definition Fargate cannot run, and UpdateService refuses it only after the image was pushed and a
// revision registered; the task execution role's absence shows only when tasks fail to start.

/** An image's platform as its config says (`linux`, `arm64`). */
interface Platform {
  os: string;
  architecture: string;
}

/** What the plan knows beyond the task definition. */
export interface CompatibilityFacts {
  /** Containers that get the pushed image, and the registry host it goes to (when the plan knows it). */
  pushed: { containers: string[]; host: string | undefined };
  /** The platforms the image to push is built for; undefined when they are not known before the push. */
  platforms: Platform[] | undefined;
}

const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);
// <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]: a pull from there needs ECR credentials.
const PRIVATE_ECR = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;

/** How a service runs its tasks, in words, when that is Fargate; undefined otherwise. */
function fargateBy(service: Service): string | undefined {
  if (service.launchType === 'FARGATE') return 'launch type FARGATE';
  const providers = (service.capacityProviderStrategy ?? []).map((s) => s.capacityProvider ?? '');
  const fargate = providers.filter((p) => FARGATE_PROVIDERS.has(p));
  return fargate.length > 0 ? `capacity provider ${fargate.join(', ')}` : undefined;
}

const hostOfImage = (image: string): string =>
  image.includes('/') ? image.slice(0, image.indexOf('/')) : '';

/** Why a task needs its execution role on Fargate: the first container that needs it, and for what. */
function executionRoleNeed(td: TaskDefinitionDoc, facts: CompatibilityFacts): string | undefined {
  for (const container of containerList(td)) {
    const name = String(own(container, 'name'));
    const log = own(container, 'logConfiguration');
    const driver = isObject(log) ? own(log, 'logDriver') : undefined;
    if (driver === 'awslogs') return `container '${name}' logs with awslogs`;
    const secrets = own(container, 'secrets');
    const logSecrets = isObject(log) ? own(log, 'secretOptions') : undefined;
    if (
      (Array.isArray(secrets) && secrets.length > 0) ||
      (Array.isArray(logSecrets) && logSecrets.length > 0)
    ) {
      return `container '${name}' has secrets`;
    }
    const files = own(container, 'environmentFiles');
    if (Array.isArray(files) && files.length > 0) return `container '${name}' has environmentFiles`;
    if (own(container, 'repositoryCredentials') !== undefined) {
      return `container '${name}' has repositoryCredentials`;
    }
    const image = own(container, 'image');
    const host = facts.pushed.containers.includes(name)
      ? facts.pushed.host
      : typeof image === 'string'
        ? hostOfImage(image)
        : undefined;
    if (host !== undefined && PRIVATE_ECR.test(host)) {
      return `container '${name}' pulls its image from private ECR (${host})`;
    }
  }
  return undefined;
}

const ARCHITECTURES: Record<string, string> = { X86_64: 'amd64', ARM64: 'arm64' };

/** The image's platforms against runtimePlatform (on Fargate, unset means Linux on X86_64). */
function platformMismatch(
  td: TaskDefinitionDoc,
  facts: CompatibilityFacts,
  fargate: boolean,
): string | undefined {
  const { platforms } = facts;
  if (!platforms || platforms.length === 0 || facts.pushed.containers.length === 0) return undefined;
  const runtime = own(td, 'runtimePlatform');
  const cpu = isObject(runtime) ? own(runtime, 'cpuArchitecture') : undefined;
  const family = isObject(runtime) ? own(runtime, 'operatingSystemFamily') : undefined;
  if (cpu === undefined && family === undefined && !fargate) return undefined;
  const wantArch = ARCHITECTURES[typeof cpu === 'string' ? cpu : 'X86_64'];
  const wantOs = typeof family === 'string' && family.startsWith('WINDOWS') ? 'windows' : 'linux';
  if (platforms.some((p) => p.os === wantOs && p.architecture === wantArch)) return undefined;
  const built = platforms.map((p) => `${p.os}/${p.architecture}`).join(', ');
  const asked =
    cpu === undefined && family === undefined
      ? 'runtimePlatform is not set, which on Fargate means LINUX on X86_64 (linux/amd64)'
      : `runtimePlatform asks for ${String(family ?? 'LINUX')} on ${String(cpu ?? 'X86_64')} (${wantOs}/${wantArch})`;
  const fix = `build the image for ${wantOs}/${wantArch}, or set runtimePlatform to match the image`;
  return `the image is built for ${built}, but ${asked}: ${fix}`;
}

/**
 * Each way the task definition cannot run on the services it is deployed to, one line each: Fargate's
 * compatibility and network mode, the execution role Fargate needs, and the image's platform.
 */
export function findIncompatibilities(
  td: TaskDefinitionDoc,
  services: Service[],
  facts: CompatibilityFacts,
): string[] {
  const out: string[] = [];
  const compat = own(td, 'requiresCompatibilities');
  const compatibilities = Array.isArray(compat) ? compat : [];
  const fargate = services.map((s) => ({ name: s.serviceName ?? '?', by: fargateBy(s) })).filter((s) => s.by);
  for (const { name, by } of fargate) {
    const runs = `service '${name}' runs on Fargate (${by})`;
    if (!compatibilities.includes('FARGATE')) {
      const shown = compat === undefined ? 'is not set' : `is ${JSON.stringify(compat)}`;
      out.push(`requiresCompatibilities ${shown}, but ${runs}: expected it to include "FARGATE"`);
    }
    const mode = own(td, 'networkMode');
    if (mode !== 'awsvpc') {
      const shown = mode === undefined ? 'is not set' : `is ${JSON.stringify(mode)}`;
      out.push(`networkMode ${shown}, but ${runs}: expected "awsvpc", the only mode Fargate has`);
    }
  }
  const need =
    fargate.length > 0 && own(td, 'executionRoleArn') === undefined
      ? executionRoleNeed(td, facts)
      : undefined;
  if (need) {
    out.push(
      `executionRoleArn is not set, but ${need} on Fargate, which needs the task execution role for that: set executionRoleArn (or the execution-role-arn input)`,
    );
  }
  const platform = platformMismatch(td, facts, fargate.length > 0);
  if (platform) out.push(platform);
  return out;
}
