import { execFileSync } from 'node:child_process';
import { pack } from 'tar-stream';

/** `docker import` of a one-file root filesystem: an image without network access or a base image. */
export async function importImage(env: Record<string, string>, ref: string, content: string): Promise<void> {
  const tar = pack();
  tar.entry({ name: 'app/hello.txt' }, content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  execFileSync('docker', ['import', '-', ref], {
    input: Buffer.concat(chunks),
    env: { ...process.env, ...env },
  });
}
