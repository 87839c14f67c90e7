// `npx tsx sandbox/cli.ts [--time-scale N] [--no-docker]`: starts the sandbox environment, prints its env as
// KEY=value lines on stdout (for `>> $GITHUB_ENV`), and runs until SIGTERM or SIGINT.
import { startEnvironment } from './environment.js';

const args = process.argv.slice(2);
const scaleAt = args.indexOf('--time-scale');
const timeScale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
if (!(timeScale > 0)) {
  console.error(`--time-scale must be a positive number, got ${args[scaleAt + 1]}`);
  process.exit(2);
}

const environment = await startEnvironment({ timeScale, docker: !args.includes('--no-docker') });
for (const [key, value] of Object.entries(environment.env)) console.log(`${key}=${value}`);
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
