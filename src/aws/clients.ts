import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECRClient } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { IAMClient } from '@aws-sdk/client-iam';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { STSClient } from '@aws-sdk/client-sts';
// ncc inlines the JSON, so the user agent follows a version bump without anyone editing this file.
import pkg from '../../package.json' with { type: 'json' };
import { describeError, UserError } from '../errors.js';
import { networkAgents } from '../network.js';
import { errorName } from './errors.js';
import type { CredentialProvider } from './credentials.js';

export interface AwsClients {
  ecs: ECSClient;
  ecr: ECRClient;
}

const USER_AGENT = `ecs-ship/${pkg.version}`;

/**
 * What every client gets, whatever its service. Endpoints come from the SDK's own AWS_ENDPOINT_URL /
 * AWS_ENDPOINT_URL_<SERVICE> handling, so the sandbox and LocalStack need no special path here. Standard
 * retries cover throttling and 5xx; the watcher adds its own patience on top.
 * 8 attempts: at a 20% throttling/5xx rate one call fails for good about once in 400,000 (0.2^8), not
 * once in 3,000 (0.2^5); a write such as RegisterTaskDefinition has no outer retry to fall back on.
 */
export function clientConfig(region: string) {
  const agents = networkAgents();
  return {
    region,
    // A proxy or a CA bundle in the environment (network.ts): the SDK's handler with the step's agents.
    ...(agents ? { requestHandler: { httpAgent: agents.http, httpsAgent: agents.https } } : {}),
    maxAttempts: 8,
    retryMode: 'standard',
    customUserAgent: USER_AGENT,
    ...(stepCredentials ? { credentials: sdkView(stepCredentials) } : {}),
  };
}

// The SDK caches keys until 5 minutes before their expiration and never asks again before that, so a
// renewal the step forces (AWS refused the keys early) would not reach it. Told the keys are always about
// to expire, the SDK asks the provider on every request; the provider answers from its own cache.
const SDK_MARGIN_MS = 60_000;
function sdkView(provider: CredentialProvider) {
  return async () => ({ ...(await provider()), expiration: new Date(Date.now() + SDK_MARGIN_MS) });
}

// The assumed role's keys (aws/credentials.ts) once the step has them: every client made after that signs
// with them. Unset, the SDK's own chain applies (environment, profile, instance role).
let stepCredentials: CredentialProvider | undefined;

export function useStepCredentials(provider: CredentialProvider): void {
  stepCredentials = provider;
}

interface WithMiddleware {
  middlewareStack: { add: (middleware: never, options: { step: 'build'; name: string }) => void };
}

type Handler = (args: { request?: unknown }) => Promise<unknown>;

/**
 * Every error from a call carries which service, operation and endpoint it came from (`$call`, read by
 * aws/errors.ts), so "an endpoint that does not answer" can say which. Added at the build step, which
 * wraps the retries: it sees the error that ends the call, and the request as it was sent.
 */
function withCallContext<C extends WithMiddleware>(client: C): C {
  const middleware =
    (next: Handler, context: { clientName?: string; commandName?: string }): Handler =>
    async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (typeof err === 'object' && err !== null && !Object.hasOwn(err, '$call')) {
          const req = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
          const port = req?.port ? `:${req.port}` : '';
          const call = {
            service: String(context.clientName ?? '').replace(/Client$/, ''),
            operation: String(context.commandName ?? '').replace(/Command$/, ''),
            endpoint: req?.hostname ? `${req.protocol ?? 'https:'}//${req.hostname}${port}` : undefined,
          };
          Object.defineProperty(err, '$call', { value: call, enumerable: false });
        }
        throw err;
      }
    };
  client.middlewareStack.add(middleware as never, { step: 'build', name: 'ecsShipCallContext' });
  if (stepCredentials) withRenewal(client, stepCredentials);
  return client;
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);

/**
 * With `role-to-assume`: a call AWS refuses as expired (before the keys' Expiration: a revoked session, a
 * clock off) is not the step's failure. The role is assumed again, once for everyone refused with the same
 * keys, and the call sent once more. Added at the initialize step, outside the one that picks the keys, so
 * the call is signed anew. A renewal that fails ends the step with one line saying why.
 */
function withRenewal<C extends WithMiddleware>(client: C, provider: CredentialProvider): void {
  const middleware =
    (next: Handler, context: Record<string, unknown>): Handler =>
    async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const name = errorName(err);
        if (!EXPIRED.has(name)) throw err;
        const auth = context.__smithy_context as
          { selectedHttpAuthScheme?: { identity?: { accessKeyId?: string } } } | undefined;
        const used = auth?.selectedHttpAuthScheme?.identity?.accessKeyId;
        const call = `${String(context.clientName ?? '').replace(/Client$/, '')} ${String(context.commandName ?? '').replace(/Command$/, '')}`;
        try {
          await provider.renew(used, `${name} on ${call}`);
        } catch (renewal) {
          throw new UserError(
            `AWS refused the keys of ${provider.roleArn} as expired (${name} on ${call}), and assuming the role again failed: ${describeError(renewal)}`,
          );
        }
        return next(args);
      }
    };
  const stack = client.middlewareStack as unknown as {
    add: (middleware: never, options: { step: 'initialize'; name: string }) => void;
  };
  stack.add(middleware as never, { step: 'initialize', name: 'ecsShipRenewal' });
}

/** The two clients every deploy uses. */
export function createClients(region: string): AwsClients {
  const config = clientConfig(region);
  return { ecs: withCallContext(new ECSClient(config)), ecr: withCallContext(new ECRClient(config)) };
}

// Every other service's SDK is imported on first use, so a step that never needs it never loads it: a new
// client (STS, ELBv2, Scheduler, ...) is one more function below, in the same form.

/** ECR Public's API lives only in us-east-1, whatever region the step deploys to. */
export async function createEcrPublicClient(): Promise<ECRPUBLICClient> {
  const { ECRPUBLICClient } = await import('@aws-sdk/client-ecr-public');
  return withCallContext(new ECRPUBLICClient(clientConfig('us-east-1')));
}

/** Only services with the CODE_DEPLOY deployment controller need it. */
export async function createCodeDeployClient(region: string): Promise<CodeDeployClient> {
  const { CodeDeployClient } = await import('@aws-sdk/client-codedeploy');
  return withCallContext(new CodeDeployClient(clientConfig(region)));
}

/** Only previews behind a load balancer and an environment URL taken from one need it. */
export async function createElbv2Client(region: string): Promise<ElasticLoadBalancingV2Client> {
  const { ElasticLoadBalancingV2Client } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  return withCallContext(new ElasticLoadBalancingV2Client(clientConfig(region)));
}

/** STS, to assume `role-to-assume`: with the environment's credentials (AssumeRole) or none (web identity). */
export async function createStsClient(region: string): Promise<STSClient> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  const { credentials: _own, ...config } = clientConfig(region);
  return new STSClient(config);
}

// The plan's permission check (aws/simulate.ts) is a courtesy before the first write: two tries, not eight.
const CHECK_ATTEMPTS = 2;

/** STS as the step's principal (the assumed role's keys when there are some): who is about to deploy. */
export async function createCallerStsClient(region: string): Promise<STSClient> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  return withCallContext(new STSClient({ ...clientConfig(region), maxAttempts: CHECK_ATTEMPTS }));
}

/** IAM, for the policy simulator the plan asks before the first write. */
export async function createIamClient(region: string): Promise<IAMClient> {
  const { IAMClient } = await import('@aws-sdk/client-iam');
  return withCallContext(new IAMClient({ ...clientConfig(region), maxAttempts: CHECK_ATTEMPTS }));
}
