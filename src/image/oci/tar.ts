import { open } from 'node:fs/promises';
import { posix } from 'node:path';

/** Where a file's bytes sit inside an uncompressed tar: enough to stream it without unpacking. */
export interface TarEntry {
  name: string;
  offset: number;
  size: number;
}

interface TarHeader {
  name: string;
  size: number;
  /** '0' file, '1' hard link, '2' symlink, '5' directory, 'x'/'g' pax, 'L' GNU long name. */
  type: string;
  linkname: string;
}

const text = (block: Buffer, start: number, length: number): string => {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
};

/** Sizes are octal text, or big-endian base-256 when the first byte has its high bit set (> 8 GiB). */
function size(block: Buffer): number {
  const field = block.subarray(124, 136);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const octal = text(block, 124, 12).trim();
  return octal === '' ? 0 : parseInt(octal, 8);
}

/** One 512-byte header; undefined for the zero blocks that end an archive. */
function parseTarHeader(block: Buffer): TarHeader | undefined {
  if (block.length < 512 || block.every((b) => b === 0)) return undefined;
  let name = text(block, 0, 100);
  const ustar = text(block, 257, 6).startsWith('ustar');
  const prefix = ustar ? text(block, 345, 155) : '';
  if (prefix !== '') name = `${prefix}/${name}`;
  const type = String.fromCharCode(block[156] || 0x30);
  return { name, size: size(block), type: type === '\0' ? '0' : type, linkname: text(block, 157, 100) };
}

/** `path` and `linkpath` from a pax extended header's `LEN key=value\n` records. */
function paxFields(data: Buffer): { path?: string; linkpath?: string } {
  const fields: { path?: string; linkpath?: string } = {};
  for (const record of data.toString('utf8').split('\n')) {
    const m = /^\d+ (path|linkpath)=(.*)$/.exec(record);
    if (m) fields[m[1] as 'path' | 'linkpath'] = m[2] ?? '';
  }
  return fields;
}

const clean = (name: string): string => posix.normalize(name.replace(/^\.\//, '')).replace(/\/$/, '');

/**
 * Regular files of a tar by name, with their offsets, reading headers only (a 1 GiB `docker save` is a
 * few hundred header reads). Links are resolved to the file they point at.
 */
export async function indexTar(path: string): Promise<Map<string, TarEntry>> {
  const file = await open(path, 'r');
  const entries = new Map<string, TarEntry>();
  const links: [string, string][] = [];
  try {
    const { size: fileSize } = await file.stat();
    const block = Buffer.alloc(512);
    let position = 0;
    let longName: string | undefined;
    let longLink: string | undefined;
    while (position + 512 <= fileSize) {
      await file.read(block, 0, 512, position);
      const header = parseTarHeader(block);
      if (!header) break;
      const dataAt = position + 512;
      position = dataAt + Math.ceil(header.size / 512) * 512;
      if (header.type === 'L' || header.type === 'x') {
        const data = Buffer.alloc(header.size);
        await file.read(data, 0, header.size, dataAt);
        if (header.type === 'L') longName = text(data, 0, data.length);
        else ({ path: longName, linkpath: longLink } = paxFields(data));
        continue;
      }
      const name = clean(longName ?? header.name);
      const linkname = longLink ?? header.linkname;
      longName = undefined;
      longLink = undefined;
      if (header.type === '0' || header.type === '7')
        entries.set(name, { name, offset: dataAt, size: header.size });
      else if (header.type === '2') links.push([name, clean(posix.join(posix.dirname(name), linkname))]);
      else if (header.type === '1') links.push([name, clean(linkname)]);
    }
  } finally {
    await file.close();
  }
  for (const [name, target] of links) {
    const entry = entries.get(target);
    if (entry) entries.set(name, { ...entry, name });
  }
  return entries;
}
