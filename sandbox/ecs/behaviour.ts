/**
 * What a service's containers "do" in the sandbox, read from the task definition, so a test asks for a
 * failure mode the way a user would cause it (a command, a health check, a placement constraint) rather
 * than through a switch the action could see. Pure; the rules are listed in sandbox/README.md.
 */

export interface ContainerBehaviour {
  essential: boolean;
  /** Set when the command contains `exit N`: the container exits with N after `afterSeconds` running. */
  exit?: { code: number; afterSeconds: number };
  /** Set when the container has a health check; `passes` is false only for an explicit `exit N` / `false`. */
  health?: HealthCheck;
}

export interface HealthCheck {
  passes: boolean;
  command: string;
  /** Sandbox seconds, with ECS's defaults (30 s, 3 retries, no start period). */
  interval: number;
  retries: number;
  startPeriod: number;
  /** A passing check whose script has `sleep N` passes first N sandbox seconds after the task runs (a slow start). */
  warmUp: number;
}

type Body = Record<string, unknown>;

const words = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const num = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** The shell text of a command: `CMD-SHELL x`, `CMD a b`, `sh -c x` all come down to the script. */
export function script(command: string[]): string {
  let rest = command;
  if (rest[0] === 'CMD-SHELL' || rest[0] === 'CMD') rest = rest.slice(1);
  if (/^(?:\/bin\/)?(?:ba)?sh$/.test(rest[0] ?? '') && rest[1] === '-c') rest = rest.slice(2);
  return rest.join(' ').trim();
}

/**
 * Same rule as standalone tasks (runtask.ts): the first `exit N` in entryPoint + command is the exit code,
 * the first `sleep N` how long it runs (default 1 s). A command without `exit` runs until stopped.
 */
export function exitOf(command: string[]): { code: number; afterSeconds: number } | undefined {
  const text = command.join(' ');
  const exit = /\bexit\s+(\d{1,3})\b/.exec(text);
  if (!exit) return undefined;
  const sleep = /\bsleep\s+(\d+(?:\.\d+)?)\b/.exec(text);
  return { code: Number(exit[1]) % 256, afterSeconds: sleep ? Number(sleep[1]) : 1 };
}

/**
 * A health check fails only when its whole script is `exit N` (N > 0) or `false`: a real check such as
 * `curl -f http://localhost/ || exit 1` passes, as it would against a healthy app. `sleep N` in a passing
 * check is an app that takes N seconds to start: healthy only then.
 */
export function healthOf(raw: unknown): HealthCheck | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const hc = raw as Body;
  const command = words(hc.command);
  if (command.length === 0) return undefined;
  const text = script(command);
  const fails = /^exit\s+0*[1-9]\d*$/.test(text) || text === 'false';
  const sleep = /\bsleep\s+(\d+(?:\.\d+)?)\b/.exec(text);
  return {
    passes: !fails,
    warmUp: sleep && !fails ? Number(sleep[1]) : 0,
    command: command.join(' '),
    interval: num(hc.interval, 30),
    retries: num(hc.retries, 3),
    startPeriod: num(hc.startPeriod, 0),
  };
}

export function behaviourOf(def: Body): ContainerBehaviour {
  const out: ContainerBehaviour = { essential: def.essential !== false };
  const exit = exitOf([...words(def.entryPoint), ...words(def.command)]);
  if (exit) out.exit = exit;
  const health = healthOf(def.healthCheck);
  if (health) out.health = health;
  return out;
}

/** Sandbox seconds from RUNNING until a failing health check marks the container UNHEALTHY. */
export function unhealthyAfter(h: HealthCheck): number {
  return h.startPeriod + h.interval * h.retries;
}

/**
 * The sandbox has no container instances, so a task definition with a `memberOf` placement constraint can
 * never be placed: ECS then retries forever and says so in a service event (the circuit breaker never counts
 * it, as no task starts).
 */
export function placementFailure(taskDefinitionInput: Body): string | undefined {
  const constraints = Array.isArray(taskDefinitionInput.placementConstraints)
    ? (taskDefinitionInput.placementConstraints as Body[])
    : [];
  const memberOf = constraints.find((c) => c?.type === 'memberOf');
  if (!memberOf) return undefined;
  return (
    'was unable to place a task because no container instance met all of its requirements. ' +
    'Reason: No Container Instances were found in your cluster. ' +
    'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.'
  );
}
