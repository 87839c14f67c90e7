import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDockerDaemon, type DockerDaemon } from './dockerd.js';
import { startGitHubSandbox, type GitHubSandbox, type GitHubSandboxOptions } from './github/server.js';
import { SANDBOX_USER } from './iam.js';
import type { PolicyDocument } from './iam-policy.js';
import { startEcrFront } from './ecr-front.js';
import { which } from './proc.js';
import { startRegistry, type RegistryProcess } from './registry.js';
import type { Durations } from './ecs/tasks.js';
import { assertWithinModels } from './model-check.js';
import { startAwsSandbox, type AwsSandbox } from './server.js';

export interface Environment {
  registry: RegistryProcess;
  docker: DockerDaemon | undefined;
  aws: AwsSandbox;
  /**
   * Env vars for running the action against this: AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL_ECR,
   * AWS_ENDPOINT_URL_ECR_PUBLIC, AWS_ENDPOINT_URL_CODEDEPLOY, AWS_ENDPOINT_URL_STS,
   * AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2,
   * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (SANDBOX_USER's), AWS_REGION=us-east-1, AWS_EC2_METADATA_DISABLED=true,
   * DOCKER_HOST (only with docker), DOCKER_CONFIG (always: logins never touch ~/.docker); with `github`
   * also the runner's GITHUB_* variables (GITHUB_API_URL …, GITHUB_EVENT_PATH of a push) and
   * ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN.
   */
  env: Record<string, string>;
  /**
   * With `github`: the GitHub REST subset and the OIDC issuer; `github.token` is a write GITHUB_TOKEN. The
   * issuer is an IAM OIDC provider of the AWS sandbox (audience sts.amazonaws.com) for roles to trust.
   */
  github: GitHubSandbox | undefined;
  stop(): Promise<void>;
}

export interface EnvironmentOptions {
  timeScale?: number;
  docker?: boolean;
  /** Override the sandbox's lifecycle durations (sandbox seconds). */
  durations?: Partial<Durations>;
  /** Also start the GitHub sandbox (REST API, ID-token endpoint, issuer); options or `true`. */
  github?: boolean | GitHubSandboxOptions;
  /**
   * On stop(), check every answer the AWS sandbox gave against botocore's AWS models (model-check.py) and
   * fail with the findings: a sandbox kinder than AWS would let a test pass that real AWS fails. Default on.
   */
  modelCheck?: boolean;
  /**
   * Policy mode: the identity policies of the environment's own user (the keys in `env`); every call it
   * signs is evaluated against them and refused with the AccessDenied each service sends. Roles get their
   * own with `aws.iam.addRole(name, { policies })` or `aws.iam.attachPolicy(arn, policy)`.
   */
  policies?: PolicyDocument[];
}

const TOOLS: [string[], string][] = [
  [['docker-registry', 'registry'], 'docker-registry (apt-get install docker-registry)'],
  [['htpasswd'], 'htpasswd (apt-get install apache2-utils)'],
  [['docker'], 'docker (apt-get install docker.io)'],
  [['dockerd'], 'dockerd (apt-get install docker.io)'],
];

/**
 * What startEnvironment needs and this machine lacks, checked by file existence. `dockerd: false` when a
 * daemon already answers: then only the docker CLI is needed.
 */
export function missingTools(opts: { docker?: boolean; dockerd?: boolean } = {}): string[] {
  const count = opts.docker === false ? 2 : opts.dockerd === false ? 3 : 4;
  return TOOLS.slice(0, count)
    .filter(([names]) => !names.some((n) => which(n)))
    .map(([, label]) => label);
}

export async function startEnvironment(
  opts: EnvironmentOptions & { github: true | GitHubSandboxOptions },
): Promise<Environment & { github: GitHubSandbox }>;
export async function startEnvironment(opts?: EnvironmentOptions): Promise<Environment>;
export async function startEnvironment(opts: EnvironmentOptions = {}): Promise<Environment> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    // Reverse order; keep going when one fails so nothing is left running.
    const errors: unknown[] = [];
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => errors.push(err));
    stops.length = 0;
    if (errors.length > 0) throw errors[0];
  };
  try {
    const withDocker = opts.docker ?? true;
    // The registry and dockerd start in parallel: dockerd takes the longest.
    const [registry, docker] = await Promise.all([
      startRegistry().then((r) => (stops.push(r.stop), r)),
      withDocker ? openDockerDaemon().then((d) => (stops.push(d.stop), d)) : Promise.resolve(undefined),
    ]);
    let dockerConfig = docker?.env.DOCKER_CONFIG;
    if (!dockerConfig) {
      const dir = await mkdtemp(join(tmpdir(), 'ecs-ship-docker-config-'));
      stops.push(() => rm(dir, { recursive: true, force: true }));
      dockerConfig = dir;
    }
    const aws = await startAwsSandbox({
      registry,
      ...(opts.timeScale === undefined ? {} : { timeScale: opts.timeScale }),
      ...(opts.durations === undefined ? {} : { durations: opts.durations }),
    });
    stops.push(() => aws.close());
    for (const policy of opts.policies ?? []) aws.iam.attachPolicy(SANDBOX_USER.arn, policy);
    // The registry as ECR serves it in policy mode: only while some principal is held to policies does a
    // connection go through the front that asks IAM (the rest of the time, straight to the registry).
    const ecrFront = await startEcrFront(aws.iam, {
      port: Number(new URL(registry.plainUrl).port),
      password: registry.password,
    });
    stops.push(() => ecrFront.close());
    aws.registryToken = (principal, api) => ecrFront.issue(principal, api);
    registry.route((direct) => (aws.iam.policies.size > 0 ? ecrFront.port : direct));
    if (opts.modelCheck ?? true) {
      // Pushed before the GitHub sandbox's stop, run after it: nothing the AWS sandbox answers is missed.
      stops.push(() => assertWithinModels(aws.answers));
    }
    const github = opts.github
      ? await startGitHubSandbox(opts.github === true ? {} : opts.github)
      : undefined;
    if (github) {
      stops.push(() => github.close());
      aws.iam.addOidcProvider(github.oidc.issuer);
    }
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_ECS: aws.endpoint,
      AWS_ENDPOINT_URL_ECR: aws.endpoint,
      AWS_ENDPOINT_URL_ECR_PUBLIC: aws.endpoint,
      AWS_ENDPOINT_URL_CODEDEPLOY: aws.endpoint,
      AWS_ENDPOINT_URL_STS: aws.endpoint,
      AWS_ENDPOINT_URL_IAM: aws.endpoint,
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: aws.endpoint,
      AWS_ACCESS_KEY_ID: SANDBOX_USER.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SANDBOX_USER.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      // The registry speaks TLS with a test CA's certificate; the action trusts it as a user trusts a private CA.
      ...(registry.caFile ? { NODE_EXTRA_CA_CERTS: registry.caFile } : {}),
      DOCKER_CONFIG: dockerConfig,
      ...(docker ? { DOCKER_HOST: docker.env.DOCKER_HOST } : {}),
      ...github?.env(),
    };
    return { registry, docker, aws, env, github, stop: stopAll };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}
