import { createHash } from 'node:crypto';

/** The manifest media types a registry API serves and takes, image manifests and indexes. */
export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const INDEX_TYPES: readonly string[] = [MEDIA.ociIndex, MEDIA.dockerList];
const MANIFEST_TYPES: readonly string[] = [MEDIA.ociManifest, MEDIA.dockerManifest];

/** What `Accept` asks for: every manifest type this client can copy. */
export const ACCEPT_MANIFESTS = [...MANIFEST_TYPES, ...INDEX_TYPES].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture?: string; os?: string; variant?: string };
  annotations?: Record<string, string>;
}

/** A manifest or index exactly as stored: its bytes are what the digest is taken of. */
export interface ManifestBlob {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

export type ParsedManifest =
  { kind: 'image'; config: Descriptor; layers: Descriptor[] } | { kind: 'index'; manifests: Descriptor[] };

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (!d || typeof d.digest !== 'string' || !DIGEST.test(d.digest) || typeof d.size !== 'number') {
    throw new Error(`${where} has a descriptor without a sha256 digest and a size.`);
  }
  return { ...d, mediaType: typeof d.mediaType === 'string' ? d.mediaType : '' } as Descriptor;
}

/**
 * The media type of a manifest: the one the registry or the referring descriptor gave, else its own
 * `mediaType` field, else its shape (OCI allows manifests without the field).
 */
export function manifestMediaType(bytes: Buffer, given?: string): string {
  const json = parseJson(bytes);
  const declared = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  const type = given && given !== '' && given !== 'application/json' ? given : declared;
  if (type) return type;
  return Array.isArray(json.manifests) ? MEDIA.ociIndex : MEDIA.ociManifest;
}

function parseJson(bytes: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error('A manifest is not a JSON object.');
}

/** The children of a manifest (config and layers) or an index (its manifests). */
export function parseManifest(blob: ManifestBlob): ParsedManifest {
  const json = parseJson(blob.bytes);
  if (INDEX_TYPES.includes(blob.mediaType)) {
    const list = Array.isArray(json.manifests) ? json.manifests : [];
    return { kind: 'index', manifests: list.map((m) => descriptor(m, `Index ${blob.digest}`)) };
  }
  if (MANIFEST_TYPES.includes(blob.mediaType)) {
    const layers = Array.isArray(json.layers) ? json.layers : [];
    return {
      kind: 'image',
      config: descriptor(json.config, `Manifest ${blob.digest}`),
      layers: layers.map((l) => descriptor(l, `Manifest ${blob.digest}`)),
    };
  }
  throw new Error(
    `Manifest ${blob.digest} has media type '${blob.mediaType}'; only OCI and Docker v2 manifests and indexes can be copied.`,
  );
}

export function manifestBlob(bytes: Buffer, mediaType?: string): ManifestBlob {
  return { bytes, digest: sha256(bytes), mediaType: manifestMediaType(bytes, mediaType) };
}
