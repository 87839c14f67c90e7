// Writes src/taskdef/shape.generated.ts from the installed SDK: `npx tsx scripts/gen-taskdef-shape.ts`.
import * as ecs from '@aws-sdk/client-ecs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { readDeclarations, renderShapeModule, shapeTable } from '../src/taskdef/shape-source.js';

const root = join(import.meta.dirname, '..');
const sdkDir = join(root, 'node_modules/@aws-sdk/client-ecs');
const sdk = JSON.parse(await readFile(join(sdkDir, 'package.json'), 'utf8'));
const models = ['models_0.d.ts', 'models_1.d.ts'].map((f) => join(sdkDir, 'dist-types/models', f));
const declarations = readDeclarations((await Promise.all(models.map((f) => readFile(f, 'utf8')))).join('\n'));
const table = shapeTable(ecs.RegisterTaskDefinitionRequest$, declarations, ecs);
const target = join(root, 'src/taskdef/shape.generated.ts');
const text = renderShapeModule(table, sdk.version);
const options = { ...(await resolveConfig(target)), filepath: target };
await writeFile(target, await format(text, options));
console.log(`wrote ${target}`);
