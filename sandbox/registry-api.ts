// What tests ask the registry directly, as a person would with curl: its own word, not the action's.

export interface RegistryAccess {
  url: string;
  username: string;
  password: string;
  /** The plain-HTTP listener behind the registry's TLS front: the registry's own word, asked directly. */
  plainUrl?: string | undefined;
}

const base = (registry: RegistryAccess): string => registry.plainUrl ?? registry.url;

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

function authorization(registry: RegistryAccess): string {
  return `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
}

/** The digest the registry serves for repository:reference (Docker-Content-Digest), or null when absent. */
export async function registryDigest(
  registry: RegistryAccess,
  repository: string,
  reference: string,
): Promise<string | null> {
  const response = await fetch(`${base(registry)}/v2/${repository}/manifests/${reference}`, {
    method: 'HEAD',
    headers: { Authorization: authorization(registry), Accept: MANIFEST_TYPES },
  });
  return response.ok ? response.headers.get('docker-content-digest') : null;
}

/** Repositories the registry holds: a push, even a partial one, would show here. */
export async function registryRepositories(registry: RegistryAccess): Promise<string[]> {
  const response = await fetch(`${base(registry)}/v2/_catalog`, {
    headers: { Authorization: authorization(registry) },
  });
  return ((await response.json()) as { repositories: string[] }).repositories;
}
