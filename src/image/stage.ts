import * as core from '@actions/core';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { inputError } from '../errors.js';
import type { ImageInputs } from '../inputs/image.js';
import { dockerLogin, imageExists, pushImage } from './docker.js';
import { getEcrLogin } from './ecr-login.js';

export interface PublishedImage {
  /** `registry/repository@sha256:…`, what task definitions should reference. */
  imageUri: string;
  digest: string;
}

/** Reads only: the image to publish must be there before anything is written anywhere. */
export async function checkImageSource(inputs: ImageInputs): Promise<void> {
  if (!(await imageExists(inputs.image))) {
    throw inputError('image', inputs.image, 'an image the local Docker daemon has (build or pull it first)');
  }
}

/** The publishing stage: ECR login, tag and push; sets the image outputs. */
export async function publishImage(
  ecr: ECRClient,
  inputs: ImageInputs,
  log: (line: string) => void,
): Promise<PublishedImage> {
  const { image, repository, tags } = inputs;
  const login = await getEcrLogin(ecr);
  await dockerLogin(login);
  log(`Logged in to ${login.registry}`);
  const pushed = await pushImage({ image, registry: login.registry, repository, tags, log });
  core.setOutput('image-uri', pushed.imageUri);
  core.setOutput('image-digest', pushed.digest);
  return pushed;
}
