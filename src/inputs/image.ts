import { inputError, UserError } from '../errors.js';
import { matching, parseList, required, type InputReader } from './parse.js';

/** What to publish and where. */
export interface ImageInputs {
  /** A local Docker image, e.g. `myapp:latest` or an image ID. */
  image: string;
  /** ECR repository name (no registry part). */
  repository: string;
  /** Tags to push; at least one. */
  tags: string[];
}

// Docker's tag grammar and ECR's repository-name grammar.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function readImageInputs(read: InputReader, env: NodeJS.ProcessEnv): ImageInputs {
  const image = required(read, 'image', 'the local Docker image to push, e.g. myapp:latest');
  if (/\s/.test(image)) throw inputError('image', image, 'a Docker image reference without spaces');

  const repository = matching(
    'repository',
    required(read, 'repository', 'the ECR repository name, e.g. my-app'),
    REPOSITORY,
    'an ECR repository name (lowercase letters, digits, . _ - and / separators)',
  );

  const listed = parseList(read('tags'));
  const tags = listed.length > 0 ? listed : env.GITHUB_SHA ? [env.GITHUB_SHA] : [];
  if (tags.length === 0) {
    throw new UserError("Input 'tags' is empty and GITHUB_SHA is not set: give at least one tag.");
  }
  for (const tag of tags) matching('tags', tag, TAG, 'Docker tags of letters, digits, . _ - (at most 128)');

  return { image, repository, tags };
}
