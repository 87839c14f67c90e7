/** The forms `image` can take, each a different source. Pure: parsed while inputs are read. */
export type SourceSpec =
  | { kind: 'docker'; image: string }
  | { kind: 'oci-layout'; path: string; tag: string | undefined }
  | { kind: 'docker-archive'; path: string; reference: string | undefined }
  | { kind: 'remote'; host: string; repository: string; reference: string }
  /** The image the last successful GitHub deployment of `environment` recorded (promotion). */
  | { kind: 'deployment'; environment: string };

const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

export type Parsed = SourceSpec | { error: string };

/** Docker Hub's names: `docker.io/nginx` is `registry-1.docker.io/library/nginx`. */
function hub(host: string, repository: string): { host: string; repository: string } {
  if (host !== 'docker.io' && host !== 'index.docker.io') return { host, repository };
  return {
    host: 'registry-1.docker.io',
    repository: repository.includes('/') ? repository : `library/${repository}`,
  };
}

/** `host/repo[:tag][@digest]` (the digest wins) into its parts. */
function parseRemote(ref: string): Parsed {
  const slash = ref.indexOf('/');
  const host = ref.slice(0, slash);
  let rest = ref.slice(slash + 1);
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(reference)) return { error: 'a digest of the form @sha256:<64 hex digits>' };
  }
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    const tag = rest.slice(colon + 1);
    if (!TAG.test(tag)) return { error: 'a tag of letters, digits, . _ - (at most 128)' };
    if (at < 0) reference = tag;
    rest = rest.slice(0, colon);
  }
  if (slash <= 0 || !HOST.test(host)) return { error: 'a registry host such as ghcr.io or 127.0.0.1:5000' };
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return { error: `a registry port from 1 to 65535 (${host} has ${port})` };
  }
  if (!REPO.test(rest)) return { error: 'a repository path of lowercase letters, digits, . _ - and /' };
  return { kind: 'remote', ...hub(host, rest), reference };
}

/** A first component with a dot or a port, or `localhost`, names a registry (Docker's own rule). */
const looksRemote = (image: string): boolean => {
  const slash = image.indexOf('/');
  if (slash <= 0) return false;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
};

/** Splits `PATH[:SUFFIX]` at the first colon. */
function pathAndSuffix(rest: string): [string, string | undefined] {
  const colon = rest.indexOf(':');
  return colon < 0 ? [rest, undefined] : [rest.slice(0, colon), rest.slice(colon + 1)];
}

/**
 * What `image` names, by its form: `oci-layout:PATH[:TAG]` (also `oci:`), `docker-archive:PATH[:NAME:TAG]`,
 * `docker://REF` or a registry-qualified `host/repo:tag|@digest` (a copy from that registry),
 * `docker-daemon:NAME` or any other name (the local Docker image, pushed with the docker CLI).
 */
export function parseImageSource(image: string): Parsed {
  const deployment = /^deployment:(.*)$/.exec(image);
  if (deployment) {
    const environment = deployment[1] ?? '';
    return environment === ''
      ? { error: 'deployment:ENVIRONMENT, a GitHub environment whose last deployment names the image' }
      : { kind: 'deployment', environment };
  }
  const transport = /^(oci-layout|oci|docker-archive|docker-daemon|docker):(.*)$/.exec(image);
  if (transport) {
    const [, kind, rest = ''] = transport;
    if (kind === 'docker') {
      const ref = rest.replace(/^\/\//, '');
      return parseRemote(ref.includes('/') && looksRemote(ref) ? ref : `docker.io/${ref}`);
    }
    if (kind === 'docker-daemon') {
      return rest === ''
        ? { error: 'docker-daemon:NAME, a local Docker image' }
        : { kind: 'docker', image: rest };
    }
    const [path, suffix] = pathAndSuffix(rest);
    if (path === '')
      return {
        error: `${kind}:PATH with the path of the ${kind === 'docker-archive' ? 'archive' : 'layout'}`,
      };
    if (kind === 'docker-archive') {
      return { kind: 'docker-archive', path, reference: suffix === '' ? undefined : suffix };
    }
    if (suffix !== undefined && suffix !== '' && !TAG.test(suffix)) {
      return { error: 'oci-layout:PATH:TAG with a tag of letters, digits, . _ -' };
    }
    return { kind: 'oci-layout', path, tag: suffix === '' ? undefined : suffix };
  }
  if (looksRemote(image)) return parseRemote(image);
  // A local image goes by Docker's reference grammar too (`app@sha256:12` is no image docker could push).
  const local = parseRemote(`docker.io/${image}`);
  return 'error' in local ? local : { kind: 'docker', image };
}

/**
 * An image reference as ECS takes it (`[host/]repo[:tag][@digest]`): undefined when valid, else what is
 * expected. A name without a registry is Docker Hub's, as for `docker pull`.
 */
export function imageReferenceError(ref: string): string | undefined {
  const parsed = parseRemote(looksRemote(ref) ? ref : `docker.io/${ref}`);
  return 'error' in parsed ? parsed.error : undefined;
}

/** How a source reads in log lines and errors. */
export function describeSource(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'docker':
      return spec.image;
    case 'oci-layout':
      return `oci-layout:${spec.path}${spec.tag ? `:${spec.tag}` : ''}`;
    case 'docker-archive':
      return `docker-archive:${spec.path}${spec.reference ? `:${spec.reference}` : ''}`;
    case 'deployment':
      return `deployment:${spec.environment}`;
    case 'remote':
      return `${spec.host}/${spec.repository}${spec.reference.startsWith('sha256:') ? '@' : ':'}${spec.reference}`;
  }
}
