import { createHash, type Hash } from 'node:crypto';
import type { ClientRequest } from 'node:http';
import type { Readable } from 'node:stream';
import type { RegistryClient } from './client.js';
import { write } from './http.js';
import type { Descriptor } from './media.js';

const MiB = 1024 * 1024;

export interface ChunkSizes {
  /** Blobs up to this size go up in one PUT (one round trip fewer). */
  monolithicMax: number;
  /** Larger blobs are PATCHed in parts of this size (the last may be shorter). */
  chunkSize: number;
}

/** ECR's layer parts: at least 5 MiB except the last, at most 20 MiB (20971520 bytes, UploadLayerPart). */
export const ECR_CHUNKS: ChunkSizes = { monolithicMax: 5 * MiB, chunkSize: 20 * MiB };

/** The byte ranges of a blob's upload: one for a monolithic upload, else `chunkSize` parts. */
export function uploadRanges(size: number, sizes: ChunkSizes): { start: number; length: number }[] {
  if (size <= sizes.monolithicMax) return [{ start: 0, length: size }];
  const ranges = [];
  for (let start = 0; start < size; start += sizes.chunkSize) {
    ranges.push({ start, length: Math.min(sizes.chunkSize, size - start) });
  }
  return ranges;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < MiB) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * MiB) return `${(n / MiB).toFixed(1)} MiB`;
  return `${(n / 1024 / MiB).toFixed(2)} GiB`;
}

/** `sha256:0123456789ab 120.0 MiB of 500.0 MiB (24%), 95.2 MiB/s` */
export function formatProgress(digest: string, done: number, total: number, elapsedMs: number): string {
  const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  return `${digest.slice(0, 19)} ${formatBytes(done)} of ${formatBytes(total)} (${percent}%), ${formatBytes(Math.round(rate))}/s`;
}

/** The source's bytes did not match the descriptor: nothing was committed under that digest. */
export class DigestMismatchError extends Error {
  override name = 'DigestMismatchError';
}

/** Reads exact byte counts from a stream, keeping what is left of a buffer for the next read. */
class ByteReader {
  private readonly iterator: AsyncIterator<Buffer>;
  private rest: Buffer | undefined;

  constructor(stream: Readable) {
    this.iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  async *take(count: number): AsyncGenerator<Buffer> {
    let left = count;
    while (left > 0) {
      let buf = this.rest;
      this.rest = undefined;
      if (!buf) {
        const next = await this.iterator.next();
        if (next.done) return;
        buf = next.value;
      }
      if (buf.length > left) {
        this.rest = buf.subarray(left);
        buf = buf.subarray(0, left);
      }
      left -= buf.length;
      yield buf;
    }
  }

  async atEnd(): Promise<boolean> {
    if (this.rest && this.rest.length > 0) return false;
    const next = await this.iterator.next();
    if (next.done) return true;
    this.rest = next.value;
    return next.value.length === 0 && this.atEnd();
  }
}

interface Transfer {
  desc: Descriptor;
  reader: ByteReader;
  hash: Hash;
  sent: number;
  tick: (sent: number) => void;
}

/**
 * Streams `length` bytes into a request, hashing as it goes. The last part holds its final buffer back
 * until the whole blob's digest is checked, so a registry never receives all bytes of a wrong blob.
 */
async function pump(t: Transfer, req: ClientRequest, length: number, last: boolean): Promise<void> {
  let pending: Buffer | undefined;
  let got = 0;
  for await (const buf of t.reader.take(length)) {
    t.hash.update(buf);
    got += buf.length;
    if (pending) await write(req, pending);
    pending = buf;
    t.sent += buf.length;
    t.tick(t.sent);
  }
  if (got < length) {
    throw new DigestMismatchError(
      `${t.desc.digest} ended after ${t.sent} bytes; its descriptor says ${t.desc.size}.`,
    );
  }
  if (last) {
    if (!(await t.reader.atEnd())) {
      throw new DigestMismatchError(
        `${t.desc.digest} has more than the ${t.desc.size} bytes its descriptor says.`,
      );
    }
    const actual = `sha256:${t.hash.digest('hex')}`;
    if (actual !== t.desc.digest) {
      throw new DigestMismatchError(
        `The bytes of ${t.desc.digest} hash to ${actual}; refusing to push them.`,
      );
    }
  }
  if (pending) await write(req, pending);
  req.end();
}

export interface UploadOptions {
  sizes: ChunkSizes;
  /** Progress lines for uploads taking longer than `progressEveryMs`. */
  log?: (line: string) => void;
  progressEveryMs?: number;
  /** Try a cross-repository mount first (same registry only). */
  mountFrom?: string;
}

/**
 * One attempt at putting a blob into `repo`: mount, or one session streamed from `open()` (monolithic or in
 * chunks), the digest checked on the fly. Callers retry the whole attempt: a fresh session and stream.
 */
export async function uploadBlob(
  client: RegistryClient,
  repo: string,
  desc: Descriptor,
  open: () => Promise<Readable>,
  opts: UploadOptions,
): Promise<'mounted' | 'uploaded'> {
  const mount = opts.mountFrom ? { digest: desc.digest, from: opts.mountFrom } : undefined;
  let location = await client.startUpload(repo, mount);
  if (location === 'mounted') return 'mounted';

  const started = Date.now();
  let lastLine = started;
  const every = opts.progressEveryMs ?? 5000;
  const stream = await open();
  const transfer: Transfer = {
    desc,
    reader: new ByteReader(stream),
    hash: createHash('sha256'),
    sent: 0,
    tick: (sent) => {
      const now = Date.now();
      if (opts.log && now - lastLine >= every) {
        lastLine = now;
        opts.log(formatProgress(desc.digest, sent, desc.size, now - started));
      }
    },
  };
  try {
    const ranges = uploadRanges(desc.size, opts.sizes);
    if (ranges.length === 1 && desc.size <= opts.sizes.monolithicMax) {
      const body = (req: ClientRequest) => pump(transfer, req, desc.size, true);
      await client.finishUpload(repo, location, desc.digest, body, desc.size);
    } else {
      for (const [i, range] of ranges.entries()) {
        const last = i === ranges.length - 1;
        const body = (req: ClientRequest) => pump(transfer, req, range.length, last);
        location = await client.patch(repo, location, range.start, range.length, body);
      }
      await client.finishUpload(repo, location, desc.digest);
    }
    if (opts.log && Date.now() - started >= every) {
      opts.log(formatProgress(desc.digest, desc.size, desc.size, Date.now() - started));
    }
    return 'uploaded';
  } catch (err) {
    await client.cancelUpload(repo, location);
    throw err;
  } finally {
    stream.destroy();
  }
}
