import { inputError, UserError } from '../errors.js';
import { parseImageSource, type SourceSpec } from './image-source.js';
import { matching, parseList, required, type InputReader } from './parse.js';

/** A registry login: `source-username` / `source-password`, or the ECR login's token. */
export interface Credentials {
  username: string;
  password: string;
}

/** What to publish and where. */
export interface ImageInputs {
  /** As given: a local Docker image, `oci-layout:PATH[:TAG]`, `docker-archive:PATH`, or `host/repo:tag`. */
  image: string;
  /** ECR repository name (no registry part). */
  repository: string;
  /** Tags to push; at least one. */
  tags: string[];
  /** Which source `image` names, by its form. */
  source: SourceSpec;
  /** For a registry source that needs a login (`source-username` / `source-password`). */
  sourceCredentials?: Credentials;
}

// Docker's tag grammar and ECR's repository-name grammar.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

// A registry host as the first part of `repository`: <account>.dkr.ecr.<region>.amazonaws.com, public.ecr.aws.
const REGISTRY_PREFIX =
  /^(?:https?:\/\/)?((?:\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?)|public\.ecr\.aws)\/(.+)$/;

/**
 * `repository` is the name alone. A full URI (a common mistake: it is what the console shows) would be
 * pushed under that literal name; the registry belongs in `registry`.
 */
function repositoryName(raw: string): string {
  const uri = REGISTRY_PREFIX.exec(raw);
  if (!uri) return raw;
  const [, host = '', rest = ''] = uri;
  const name = host === 'public.ecr.aws' ? rest.slice(rest.indexOf('/') + 1) : rest;
  throw inputError(
    'repository',
    raw,
    `the repository name alone, such as '${name.replace(/[:@].*$/, '')}' (the registry goes in 'registry': ${host})`,
  );
}

function readSourceCredentials(read: InputReader, source: SourceSpec): Credentials | undefined {
  const username = read('source-username').trim();
  // Never trimmed or shown: a password is taken exactly as given and only its absence is reported.
  const password = read('source-password');
  if (username === '' && password === '') return undefined;
  if (source.kind !== 'remote') {
    throw new UserError(
      "Inputs 'source-username'/'source-password' are set, but 'image' is not a registry reference (host/repo:tag).",
    );
  }
  if (username === '') throw new UserError("Input 'source-password' is set without 'source-username'.");
  if (password === '') throw new UserError("Input 'source-username' is set without 'source-password'.");
  return { username, password };
}

export function readImageInputs(read: InputReader, env: NodeJS.ProcessEnv): ImageInputs {
  const image = required(read, 'image', 'the local Docker image to push, e.g. myapp:latest');
  if (/\s/.test(image)) throw inputError('image', image, 'a Docker image reference without spaces');
  const source = parseImageSource(image);
  if ('error' in source) throw inputError('image', image, source.error);

  const repository = matching(
    'repository',
    repositoryName(required(read, 'repository', 'the ECR repository name, e.g. my-app')),
    REPOSITORY,
    'an ECR repository name (lowercase letters, digits, . _ - and / separators)',
  );
  // ECR's limit (CreateRepository refuses longer names; a push would get that far first).
  if (repository.length > 256) {
    throw inputError('repository', repository, 'an ECR repository name of at most 256 characters');
  }

  const listed = parseList(read('tags'));
  const tags = listed.length > 0 ? listed : env.GITHUB_SHA ? [env.GITHUB_SHA] : [];
  if (tags.length === 0) {
    throw new UserError("Input 'tags' is empty and GITHUB_SHA is not set: give at least one tag.");
  }
  for (const tag of tags) matching('tags', tag, TAG, 'Docker tags of letters, digits, . _ - (at most 128)');

  const sourceCredentials = readSourceCredentials(read, source);
  return { image, repository, tags, source, ...(sourceCredentials ? { sourceCredentials } : {}) };
}
