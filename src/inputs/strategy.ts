import { inputError, UserError } from '../errors.js';
import { parseChoice, parseNumber, type InputReader } from './parse.js';

const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
type StrategyName = (typeof STRATEGIES)[number];

/**
 * How the services roll out: an ECS-native strategy passed through UpdateService's deploymentConfiguration,
 * and the CodeDeploy application and deployment group for services whose controller is CODE_DEPLOY.
 */
export interface StrategyInputs {
  /** undefined = keep the strategy the service has. */
  strategy: StrategyName | undefined;
  /** undefined = keep the service's (BLUE_GREEN, LINEAR, CANARY only). */
  bakeTimeMinutes: number | undefined;
  /** Only with CANARY; a field left undefined keeps the service's value (or ECS's default). */
  canary: { percent: number | undefined; bakeMinutes: number | undefined } | undefined;
  /** Only with LINEAR. */
  linear: { stepPercent: number | undefined; stepBakeMinutes: number | undefined } | undefined;
  /** Both or neither; used only for services with the CODE_DEPLOY deployment controller. */
  codeDeploy: { application: string; deploymentGroup: string } | undefined;
}

// ECS's own limits (the SDK documents them on DeploymentConfiguration, CanaryConfiguration, LinearConfiguration).
const MINUTES = { min: 0, max: 1440, unit: 'minutes', integer: true };

function optionalMinutes(read: InputReader, name: string): number | undefined {
  const raw = read(name);
  return raw.trim() === '' ? undefined : parseNumber(name, raw, 0, MINUTES);
}

/** A percentage in steps of 0.1 (what ECS accepts), between min and 100. */
function optionalPercent(read: InputReader, name: string, min: number): number | undefined {
  const raw = read(name);
  if (raw.trim() === '') return undefined;
  const expected = `a percentage from ${min} to 100 in steps of 0.1`;
  let n: number;
  try {
    n = parseNumber(name, raw, 0, { min, max: 100, unit: 'percent' });
  } catch {
    throw inputError(name, raw, expected);
  }
  if (Math.abs(Math.round(n * 10) - n * 10) > 1e-9) throw inputError(name, raw, expected);
  return n;
}

/** CodeDeploy application and deployment group names: 1 to 100 characters. */
function optionalName(read: InputReader, name: string): string | undefined {
  const value = read(name).trim();
  if (value === '') return undefined;
  if (value.length > 100) throw inputError(name, value, 'a CodeDeploy name of at most 100 characters');
  return value;
}

function requireStrategy(input: string, strategy: StrategyName | undefined, wanted: StrategyName[]): void {
  if (strategy !== undefined && wanted.includes(strategy)) return;
  const which = wanted.length === 1 ? wanted[0] : `one of ${wanted.join(', ')}`;
  throw new UserError(
    `Input '${input}' is set, but 'deployment-strategy' is ${strategy ?? 'not set'}: set deployment-strategy to ${which}.`,
  );
}

/** undefined when none of these inputs is set: the services roll out as they are configured. */
export function readStrategyInputs(read: InputReader): StrategyInputs | undefined {
  const rawStrategy = read('deployment-strategy').trim();
  const strategy =
    rawStrategy === '' ? undefined : parseChoice('deployment-strategy', rawStrategy, STRATEGIES, 'ROLLING');
  const bakeTimeMinutes = optionalMinutes(read, 'bake-time-minutes');
  const canaryPercent = optionalPercent(read, 'canary-percent', 0.1);
  const canaryBake = optionalMinutes(read, 'canary-bake-minutes');
  const stepPercent = optionalPercent(read, 'linear-step-percent', 3);
  const stepBake = optionalMinutes(read, 'linear-step-bake-minutes');
  const application = optionalName(read, 'codedeploy-application');
  const deploymentGroup = optionalName(read, 'codedeploy-deployment-group');

  if (bakeTimeMinutes !== undefined) {
    requireStrategy('bake-time-minutes', strategy, ['BLUE_GREEN', 'LINEAR', 'CANARY']);
  }
  if (canaryPercent !== undefined) requireStrategy('canary-percent', strategy, ['CANARY']);
  if (canaryBake !== undefined) requireStrategy('canary-bake-minutes', strategy, ['CANARY']);
  if (stepPercent !== undefined) requireStrategy('linear-step-percent', strategy, ['LINEAR']);
  if (stepBake !== undefined) requireStrategy('linear-step-bake-minutes', strategy, ['LINEAR']);
  if ((application === undefined) !== (deploymentGroup === undefined)) {
    const [set, missing] =
      application === undefined
        ? ['codedeploy-deployment-group', 'codedeploy-application']
        : ['codedeploy-application', 'codedeploy-deployment-group'];
    throw new UserError(`Input '${set}' is set, but '${missing}' is not: CodeDeploy needs both.`);
  }

  const codeDeploy =
    application !== undefined && deploymentGroup !== undefined ? { application, deploymentGroup } : undefined;
  const canary =
    strategy === 'CANARY' && (canaryPercent !== undefined || canaryBake !== undefined)
      ? { percent: canaryPercent, bakeMinutes: canaryBake }
      : undefined;
  const linear =
    strategy === 'LINEAR' && (stepPercent !== undefined || stepBake !== undefined)
      ? { stepPercent, stepBakeMinutes: stepBake }
      : undefined;
  if (strategy === undefined && codeDeploy === undefined) return undefined;
  return { strategy, bakeTimeMinutes, canary, linear, codeDeploy };
}
