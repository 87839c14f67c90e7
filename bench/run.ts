import { join, resolve } from 'node:path';
import { printTable, saveFigures } from './results-file.js';
import { startupFigures } from './startup.js';

const root = resolve(import.meta.dirname, '..');
const figures = [...(await startupFigures(root)), ...(await (await import('./push.js')).pushFigures(root))];
figures.push(...(await (await import('./rollout.js')).rolloutFigures()));
figures.push(...(await (await import('./promote.js')).promoteFigures()));
const all = await saveFigures(join(root, 'bench', 'results.json'), figures);
printTable(all);
