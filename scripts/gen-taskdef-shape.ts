// Writes src/taskdef/shape.generated.ts from the installed SDK: `npx tsx scripts/gen-taskdef-shape.ts`.
import { RegisterTaskDefinitionRequest$ } from '@aws-sdk/client-ecs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderShapeModule } from '../src/taskdef/shape-source.js';

const root = join(import.meta.dirname, '..');
const sdk = JSON.parse(await readFile(join(root, 'node_modules/@aws-sdk/client-ecs/package.json'), 'utf8'));
const target = join(root, 'src/taskdef/shape.generated.ts');
await writeFile(target, renderShapeModule(RegisterTaskDefinitionRequest$, sdk.version));
console.log(`wrote ${target}`);
