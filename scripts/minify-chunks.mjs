// ncc minifies only the entry file; the chunks it splits off for dynamic imports (the AWS SDK, the stages)
// stay readable. They are what the deploy path parses at start, so they get the same treatment here.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';

export async function minifyChunks(dir) {
  const chunks = (await readdir(dir)).filter((f) => /^\d+\.index\.js$/.test(f)).sort();
  for (const file of chunks) {
    const path = join(dir, file);
    const result = await minify(await readFile(path, 'utf8'), {
      module: true,
      compress: { passes: 1 },
      mangle: true,
      format: { comments: false },
    });
    if (result.code === undefined) throw new Error(`terser returned nothing for ${path}`);
    await writeFile(path, result.code);
  }
}
