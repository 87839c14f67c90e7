import { matching, parseBoolean, parseNumber, required, type InputReader } from './parse.js';

/** Which service to update and how to watch it. */
export interface DeployInputs {
  cluster: string;
  service: string;
  wait: boolean;
  timeoutMinutes: number;
  pollSeconds: number;
}

const CLUSTER_OR_SERVICE =
  /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(?:cluster|service)\/[\w/-]+|[A-Za-z0-9_-]{1,255})$/;

export function readDeployInputs(read: InputReader): DeployInputs {
  const cluster = matching(
    'cluster',
    read('cluster').trim() || 'default',
    CLUSTER_OR_SERVICE,
    'a cluster name or ARN',
  );
  const service = matching(
    'service',
    required(read, 'service', 'the ECS service to update'),
    CLUSTER_OR_SERVICE,
    'a service name or ARN',
  );
  const wait = parseBoolean('wait', read('wait'), true);
  const timeoutMinutes = parseNumber('timeout-minutes', read('timeout-minutes'), 30, {
    min: 1,
    max: 360,
    unit: 'minutes',
  });
  // Fractions are allowed so tests against the sandbox can poll faster than once a second.
  const pollSeconds = parseNumber('poll-seconds', read('poll-seconds'), 5, {
    min: 0.1,
    max: 300,
    unit: 'seconds',
  });
  return { cluster, service, wait, timeoutMinutes, pollSeconds };
}
