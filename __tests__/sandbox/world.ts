import { newEcsState, serviceTasks, type EcsState, type Service } from '../../sandbox/ecs/model.js';
import { tick } from '../../sandbox/ecs/scheduler.js';
import { createService } from '../../sandbox/ecs/services.js';
import { registerTaskDefinition } from '../../sandbox/ecs/taskdefs.js';
import { DEFAULT_DURATIONS, isAlive, type Clock, type SchedulerPorts } from '../../sandbox/ecs/tasks.js';

/** A region driven by a fake clock (1 sandbox second = 1000 ms), 100 ms per tick, no HTTP. */
export class World {
  readonly state: EcsState = newEcsState('us-east-1');
  now = 1_700_000_000_000;
  /** Images whose pull fails. */
  readonly missing = new Set<string>();
  readonly ports: SchedulerPorts = {
    checkImages: (task) => {
      const bad = task.containers.find((c) => this.missing.has(c.image));
      task.pull = bad
        ? { state: 'failed', reason: `CannotPullContainerError: ${bad.image}` }
        : { state: 'ok' };
    },
  };

  clock(): Clock {
    return { now: this.now, ms: (s) => s * 1000 };
  }

  /** A revision of family web; `extra` adds to the container definition, `td` to the task definition. */
  register(image: string, extra: Record<string, unknown> = {}, td: Record<string, unknown> = {}): string {
    return registerTaskDefinition(
      this.state,
      { family: 'web', containerDefinitions: [{ name: 'web', image, ...extra }], ...td },
      this.now,
    ).arn;
  }

  get service(): Service {
    return this.state.clusters.get('default')!.services.get('web')!;
  }

  step(): void {
    this.now += 100;
    tick(this.state, this.clock(), DEFAULT_DURATIONS, this.ports);
  }

  /** Steps until `done` holds, calling `each` after every tick; fails after `limitSeconds` sandbox seconds. */
  run(done: () => boolean, each: () => void = () => undefined, limitSeconds = 120): void {
    for (let i = 0; i < limitSeconds * 10; i++) {
      this.step();
      each();
      if (done()) return;
    }
    throw new Error(`not done after ${limitSeconds} sandbox seconds: ${JSON.stringify(this.service.events)}`);
  }

  steady(): boolean {
    return this.service.deployments.length === 1 && this.service.deployments[0]?.rolloutState === 'COMPLETED';
  }

  alive() {
    return serviceTasks(this.state, this.service).filter(isAlive);
  }
}

export function seeded(desiredCount: number, deploymentConfiguration: Record<string, unknown> = {}): World {
  const w = new World();
  const arn = w.register('nginx:1');
  createService(
    w.state,
    w.state.clusters.get('default')!,
    { serviceName: 'web', taskDefinition: arn, desiredCount, deploymentConfiguration },
    w.now,
  );
  w.run(() => w.steady());
  return w;
}
