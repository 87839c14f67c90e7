/** Image references and the real registry check a task makes when it reaches PENDING. */

export interface ImageRef {
  host: string;
  repository: string;
  /** A tag or a `sha256:` digest; the digest wins when both are given. */
  reference: string;
}

export interface RegistryAccess {
  host: string;
  username: string;
  password: string;
  /** The registry's plain-HTTP listener behind its TLS front (RegistryProcess.plainUrl), when it has one. */
  plainUrl?: string | undefined;
}

/** Splits `host[:port]/repo[:tag][@digest]`; returns undefined for Docker Hub style names without a host. */
export function parseImage(image: string): ImageRef | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const host = image.slice(0, slash);
  if (!host.includes('.') && !host.includes(':') && host !== 'localhost') return undefined;
  let rest = image.slice(slash + 1);
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) rest = rest.slice(0, colon);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  if (rest === '') return undefined;
  return { host, repository: rest, reference };
}

const sameHost = (a: string, b: string): boolean =>
  a.replace(/^localhost:/, '127.0.0.1:') === b.replace(/^localhost:/, '127.0.0.1:');

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

export type PullResult = { ok: true; digest?: string } | { ok: false; reason: string };

function cannotPull(image: string, detail: string): PullResult {
  return {
    ok: false,
    reason: `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${image}: ${detail}`,
  };
}

/**
 * Images on the fronted registry are really checked (HEAD on the manifest, as a pull would start).
 * Images anywhere else (Docker Hub, public ECR...) are assumed pullable: the sandbox has no internet.
 */
export async function checkImage(image: string, registry: RegistryAccess): Promise<PullResult> {
  const ref = parseImage(image);
  if (!ref || !sameHost(ref.host, registry.host)) return { ok: true };
  const url = `${registry.plainUrl ?? `http://${registry.host}`}/v2/${ref.repository}/manifests/${ref.reference}`;
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  try {
    const res = await fetch(url, {
      method: 'HEAD',
      headers: { accept: MANIFEST_TYPES, authorization: `Basic ${auth}` },
      signal: AbortSignal.timeout(5000),
    });
    if (res.ok) {
      const digest = res.headers.get('docker-content-digest');
      return digest ? { ok: true, digest } : { ok: true };
    }
    if (res.status === 404) return cannotPull(image, 'not found');
    return cannotPull(
      image,
      `unexpected status from HEAD request to ${url}: ${res.status} ${res.statusText}`,
    );
  } catch (err) {
    return cannotPull(image, `failed to do request: Head "${url}": ${(err as Error).message}`);
  }
}
