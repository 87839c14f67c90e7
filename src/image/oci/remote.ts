import { inputError } from '../../errors.js';
import type { Credentials } from '../../inputs/image.js';
import { RegistryClient } from './client.js';
import { walkImage, type ImageSource } from './push.js';
import { DEFAULT_RETRY, withRetries } from './retry.js';

/**
 * An image in another registry (GHCR, Docker Hub, another ECR...): manifests read now (which also proves
 * the credentials), blobs streamed from the registry straight into the upload.
 */
export async function openRemote(
  ref: { host: string; repository: string; reference: string },
  credentials: Credentials | undefined,
  shown: string,
  who = 'source-username/source-password',
): Promise<ImageSource> {
  const client = new RegistryClient({ host: ref.host, credentials, who });
  const { repository } = ref;
  const get = (reference: string) =>
    withRetries(
      `GET ${ref.host}/${repository}:${reference}`,
      () => client.manifest(repository, reference),
      DEFAULT_RETRY,
    );
  const root = await get(ref.reference);
  if (!root) throw inputError('image', shown, `an image that exists on ${ref.host} (it answered 404)`);
  const { children, blobs } = await walkImage(root, async (desc) => {
    const child = await get(desc.digest);
    if (!child) throw new Error(`${ref.host}/${repository} has no manifest ${desc.digest} its index lists.`);
    return child;
  });
  return {
    name: shown,
    root,
    children,
    blobs,
    open: (desc) => client.blob(repository, desc.digest),
    origin: { host: ref.host, repository },
    close: async () => undefined,
  };
}
