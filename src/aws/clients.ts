import { ECRClient } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { ECSClient } from '@aws-sdk/client-ecs';

export interface AwsClients {
  ecs: ECSClient;
  ecr: ECRClient;
}

const USER_AGENT = 'ecs-ship/0.1.0';

// 8 attempts: at a 20% throttling/5xx rate one call fails for good about once in 400,000 (0.2^8), not
// once in 3,000 (0.2^5); a write such as RegisterTaskDefinition has no outer retry to fall back on.
const COMMON = { maxAttempts: 8, retryMode: 'standard', customUserAgent: USER_AGENT };

/**
 * Endpoints come from the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_ECR
 * handling, so the sandbox and LocalStack need no special path here. Standard retries cover
 * throttling and 5xx; the watcher adds its own patience on top.
 */
export function createClients(region: string): AwsClients {
  const common = { region, ...COMMON };
  return { ecs: new ECSClient(common), ecr: new ECRClient(common) };
}

/**
 * ECR Public's API lives only in us-east-1, whatever region the step deploys to. Its SDK is imported on
 * first use, so a step that never targets public.ecr.aws never loads it. The endpoint follows
 * AWS_ENDPOINT_URL_ECR_PUBLIC like the other clients'.
 */
export async function createEcrPublicClient(): Promise<ECRPUBLICClient> {
  const { ECRPUBLICClient } = await import('@aws-sdk/client-ecr-public');
  return new ECRPUBLICClient({ region: 'us-east-1', ...COMMON });
}
