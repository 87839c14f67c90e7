// `npm run bench`: every figure measured side by side with its peer in this one run, merged by name into
// bench/results.json and printed as a table.
import { join, resolve } from 'node:path';
import { printTable, saveFigures, type Figure } from './results-file.js';

// The action runs on node24; this machine's node 20 would make the SDK warn about its own future.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const root = resolve(import.meta.dirname, '..');
// In order, each loaded only when its turn comes: start-up first, while nothing else has warmed the machine.
const benches: Array<() => Promise<Figure[]>> = [
  async () => (await import('./startup.js')).startupFigures(root),
  async () => (await import('./first-call.js')).firstCallFigures(root),
  async () => (await import('./push.js')).pushFigures(root),
  async () => (await import('./rollout.js')).rolloutFigures(),
  async () => (await import('./promote.js')).promoteFigures(),
];
const figures: Figure[] = [];
for (const bench of benches) figures.push(...(await bench()));
printTable(await saveFigures(join(root, 'bench', 'results.json'), figures));
