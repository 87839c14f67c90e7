// The e2e tests run the bundle as the runner does. Unless ECS_SHIP_DIST names a build to test, they get a
// bundle of the working tree as it is now (built only when src/, the scripts or the dependencies changed),
// never a dist/ left over from before the last edit.
import { cachedBundle } from '../../scripts/bundle.mjs';

export default async function globalSetup() {
  if (process.env.ECS_SHIP_DIST) return;
  const started = Date.now();
  process.env.ECS_SHIP_DIST = await cachedBundle();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`e2e bundle: ${process.env.ECS_SHIP_DIST} (${seconds} s)\n`);
}
