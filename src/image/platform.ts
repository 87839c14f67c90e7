import { docker } from './docker-cli.js';
import { parseManifest } from './oci/media.js';
import type { ImageSource } from './oci/push.js';

/** The OS and CPU architecture an image is built for, as its config (or its index) says. */
export interface ImagePlatform {
  os: string;
  architecture: string;
}

/** What the local engine recorded for an image; empty when it cannot say. */
export async function dockerImagePlatforms(image: string): Promise<ImagePlatform[]> {
  const out = await docker(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', image]);
  const [os, architecture] = out.stdout.trim().split('/');
  return out.exitCode === 0 && os && architecture ? [{ os, architecture }] : [];
}

async function readJson(source: ImageSource, desc: Parameters<ImageSource['open']>[0]): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of await source.open(desc)) chunks.push(Buffer.from(chunk as Buffer));
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * An opened layout, archive or registry image: an index lists its platforms (attestation entries, which
 * say `unknown`, left out); a single image's config says its own. Empty when neither says.
 */
export async function sourcePlatforms(source: ImageSource): Promise<ImagePlatform[]> {
  const root = parseManifest(source.root);
  if (root.kind === 'index') {
    return root.manifests
      .map((m) => ({ os: m.platform?.os ?? '', architecture: m.platform?.architecture ?? '' }))
      .filter(
        (p) => p.os !== '' && p.os !== 'unknown' && p.architecture !== '' && p.architecture !== 'unknown',
      );
  }
  const config = (await readJson(source, root.config).catch(() => ({}))) as {
    os?: unknown;
    architecture?: unknown;
  };
  const { os, architecture } = config;
  return typeof os === 'string' && typeof architecture === 'string' ? [{ os, architecture }] : [];
}
