import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import { constants, createGzip } from 'node:zlib';

/**
 * One fixed level, so the same layer compresses to the same bytes every run (node's gzip header carries no
 * mtime or name): the digest of the first pass is the digest of the upload, and a re-push finds the blob.
 * 6 is zlib's and docker's default: most of the gain of 9 at a fraction of its CPU.
 */
const GZIP_LEVEL = 6;

/** gzip's magic bytes: layers that start with them are already compressed and go up as they are. */
export const isGzip = (head: Buffer): boolean => head[0] === 0x1f && head[1] === 0x8b;

/**
 * `source` gzip-compressed, streamed. Destroying the result destroys the source too (an upload that gives
 * up must not leave a file open), and an error reading the source errors the result.
 */
export function gzipStream(source: Readable, ...between: Transform[]): Readable {
  const gzip = createGzip({ level: GZIP_LEVEL, memLevel: 8, strategy: constants.Z_DEFAULT_STRATEGY });
  pipeline([source, ...between, gzip], () => undefined);
  return gzip;
}

export interface Compressed {
  /** sha256 and byte count of the gzip stream: the layer's descriptor. */
  digest: string;
  size: number;
  /** sha256 of the bytes before compression: must equal the config's diff_id. */
  diffId: string;
}

/** First pass: compresses and hashes a layer, keeping only the hashes (never the layer) in memory. */
export async function measureGzip(source: Readable): Promise<Compressed> {
  const raw = createHash('sha256');
  const packed = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      raw.update(chunk);
      done(null, chunk);
    },
  });
  for await (const chunk of gzipStream(source, tap)) {
    packed.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: `sha256:${packed.digest('hex')}`, size, diffId: `sha256:${raw.digest('hex')}` };
}
