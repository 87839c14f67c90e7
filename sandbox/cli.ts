// `npx tsx sandbox/cli.ts [--time-scale N] [--no-docker] [--seed SERVICE]`: starts the sandbox environment,
// optionally seeds a running service, prints its env as KEY=value lines on stdout (for `>> $GITHUB_ENV`) and
// then a line `READY`, and runs until SIGTERM or SIGINT.
import { startEnvironment } from './environment.js';
import { sandboxEcs, seedService, waitSteady } from './seed.js';

const args = process.argv.slice(2);
const scaleAt = args.indexOf('--time-scale');
const timeScale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
if (!(timeScale > 0)) {
  console.error(`--time-scale must be a positive number, got ${args[scaleAt + 1]}`);
  process.exit(2);
}

const environment = await startEnvironment({ timeScale, docker: !args.includes('--no-docker') });
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? args[seedAt + 1] : undefined;
if (seed) {
  const ecs = sandboxEcs(environment.env);
  await seedService(ecs, { service: seed });
  await waitSteady(ecs, seed);
}
for (const [key, value] of Object.entries(environment.env)) console.log(`${key}=${value}`);
console.log('READY');
console.error(
  `sandbox: ECS/ECR at ${environment.aws.endpoint}, registry at ${environment.registry.host}; data in ${environment.registry.rootDir}; stop with Ctrl-C`,
);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.error(`sandbox: ${signal}, stopping`);
  environment.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('sandbox: stop failed', err);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
// Keeps the process alive: the sandbox's own timers are unref'd.
setInterval(() => undefined, 1 << 30);
