import { join, resolve } from 'node:path';
import { printTable, saveFigures } from './results-file.js';
import { startupFigures } from './startup.js';

const root = resolve(import.meta.dirname, '..');
const figures = [...(await startupFigures(root))];
const all = await saveFigures(join(root, 'bench', 'results.json'), figures);
printTable(all);
