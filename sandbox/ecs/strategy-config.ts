import { invalidParameter } from '../http.js';
import type { DeploymentConfiguration } from './model.js';

/**
 * The strategy half of a service's deploymentConfiguration as the sandbox keeps it: what UpdateService and
 * CreateService accept (merged and checked against ECS's limits), and the production traffic steps it
 * implies. strategies.ts runs the deployments this describes.
 */

type StrategyName = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
const STRATEGIES: StrategyName[] = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];

export interface StrategyFields {
  bakeTimeInMinutes?: number;
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
  alarms?: { alarmNames: string[]; enable: boolean; rollback: boolean };
}

/** What the sandbox keeps of a deploymentConfiguration: the rolling fields plus the strategy's. */
export type StagedConfiguration = DeploymentConfiguration & StrategyFields;

/** ECS's defaults: linear 10 % every 6 min, canary 5 % for 10 min. */
const LINEAR_DEFAULT = { stepPercent: 10, stepBakeTimeInMinutes: 6 };
const CANARY_DEFAULT = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 };
const BAKE_MINUTES: [number, number] = [0, 1440];

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

function number(value: unknown, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidParameter(`${name} must be between ${min} and ${max}.`);
  }
  return value;
}

/** Each numeric field given, over the base, within its [min, max]; the error names the field as ECS does. */
function numbers<K extends string>(
  givenRaw: unknown,
  base: Record<K, number>,
  limits: Record<K, [number, number]>,
): Record<K, number> {
  const given = record(givenRaw);
  const out = {} as Record<K, number>;
  for (const key of Object.keys(limits) as K[]) {
    const [min, max] = limits[key];
    out[key] = number(given[key], base[key], key, min, max);
  }
  return out;
}

/**
 * The strategy fields of UpdateService/CreateService's deploymentConfiguration, merged over the service's
 * and checked against ECS's limits.
 */
export function mergeStrategy(
  base: StagedConfiguration,
  givenRaw: unknown,
): StrategyFields & { strategy: string } {
  const given = record(givenRaw);
  const strategy = typeof given.strategy === 'string' ? given.strategy : base.strategy;
  if (!STRATEGIES.includes(strategy as StrategyName)) {
    throw invalidParameter(`strategy must be one of ${STRATEGIES.join(', ')}.`);
  }
  const out: StrategyFields & { strategy: string } = { strategy };
  // Checked for every strategy, ROLLING included, though only the staged ones keep it.
  const { bakeTimeInMinutes } = numbers(
    given,
    { bakeTimeInMinutes: base.bakeTimeInMinutes ?? 0 },
    { bakeTimeInMinutes: BAKE_MINUTES },
  );
  if (strategy !== 'ROLLING') out.bakeTimeInMinutes = bakeTimeInMinutes;
  if (strategy === 'LINEAR') {
    out.linearConfiguration = numbers(given.linearConfiguration, base.linearConfiguration ?? LINEAR_DEFAULT, {
      stepPercent: [3, 100],
      stepBakeTimeInMinutes: BAKE_MINUTES,
    });
  }
  if (strategy === 'CANARY') {
    out.canaryConfiguration = numbers(given.canaryConfiguration, base.canaryConfiguration ?? CANARY_DEFAULT, {
      canaryPercent: [0.1, 100],
      canaryBakeTimeInMinutes: BAKE_MINUTES,
    });
  }
  if (given.alarms !== undefined) {
    const alarms = record(given.alarms);
    const names = Array.isArray(alarms.alarmNames) ? alarms.alarmNames.map(String) : [];
    out.alarms = { alarmNames: names, enable: alarms.enable === true, rollback: alarms.rollback === true };
  } else if (base.alarms) {
    out.alarms = base.alarms;
  }
  return out;
}

/** Production weights of the new revision, step by step, and the wait (sandbox seconds) after each. */
export function productionSteps(cfg: StagedConfiguration): Array<{ weight: number; bakeSeconds: number }> {
  if (cfg.strategy === 'LINEAR' && cfg.linearConfiguration) {
    const { stepPercent, stepBakeTimeInMinutes } = cfg.linearConfiguration;
    const steps: Array<{ weight: number; bakeSeconds: number }> = [];
    for (let w = stepPercent; w < 100 - 1e-9; w += stepPercent) {
      steps.push({ weight: Math.round(w * 10) / 10, bakeSeconds: stepBakeTimeInMinutes * 60 });
    }
    return [...steps, { weight: 100, bakeSeconds: 0 }];
  }
  if (cfg.strategy === 'CANARY' && cfg.canaryConfiguration && cfg.canaryConfiguration.canaryPercent < 100) {
    const { canaryPercent, canaryBakeTimeInMinutes } = cfg.canaryConfiguration;
    return [
      { weight: canaryPercent, bakeSeconds: canaryBakeTimeInMinutes * 60 },
      { weight: 100, bakeSeconds: 0 },
    ];
  }
  return [{ weight: 100, bakeSeconds: 0 }];
}
