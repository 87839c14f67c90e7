const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** `https://123.dkr.ecr.eu-west-1.amazonaws.com` → `123.dkr.ecr.eu-west-1.amazonaws.com` (port kept if any). */
export function registryHost(proxyEndpoint: string): string {
  const trimmed = proxyEndpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`ECR returned a registry endpoint that is not a URL: '${proxyEndpoint}'.`);
  }
  if (url.hostname === '')
    throw new Error(`ECR returned a registry endpoint without a host: '${proxyEndpoint}'.`);
  return url.host;
}

/** `host/repo@digest` when a digest is known (what ECS should run), else `host/repo:tag`. */
export function imageUri(host: string, repository: string, ref: { tag?: string; digest?: string }): string {
  const base = `${host}/${repository}`;
  if (ref.tag !== undefined && !TAG.test(ref.tag)) throw new Error(`Not a valid image tag: '${ref.tag}'.`);
  if (ref.digest !== undefined && !DIGEST.test(ref.digest)) {
    throw new Error(`Not a valid image digest: '${ref.digest}'.`);
  }
  if (ref.digest !== undefined) return `${base}@${ref.digest}`;
  if (ref.tag !== undefined) return `${base}:${ref.tag}`;
  throw new Error('An image reference needs a tag or a digest.');
}

/**
 * The digest docker printed for the pushed manifest, from the line docker ends a push with:
 * `v1: digest: sha256:<64 hex> size: 528`. The last such line wins, as docker prints one per tag pushed.
 */
export function parseDigestFromPushOutput(output: string): string | undefined {
  const matches = [...output.matchAll(/^\s*\S+: digest: (sha256:[a-f0-9]{64}) size: \d+\s*$/gm)];
  return matches[matches.length - 1]?.[1];
}
