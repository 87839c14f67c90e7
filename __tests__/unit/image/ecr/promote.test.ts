import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  BatchGetImageCommand,
  ECRClient,
  ImageAlreadyExistsException,
  ImageTagAlreadyExistsException,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { parseImageSource } from '../../../../src/inputs/image-source.js';
import {
  promoteTags,
  promotionReference,
  putImageOutcome,
  readSourceImage,
} from '../../../../src/image/ecr/promote.js';
import type { RepositoryPlan } from '../../../../src/image/ecr/repository.js';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'eu-west-1' });
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}';
const repo: RepositoryPlan = {
  name: 'app',
  registryId: '210987654321',
  uri: `${HOST}/app`,
  create: undefined,
  immutable: true,
};
const source = {
  reference: 'staging',
  digest: DIGEST,
  manifest: MANIFEST,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
};
const log: string[] = [];

beforeEach(() => {
  ecrMock.reset();
  log.length = 0;
});

describe('promotionReference', () => {
  const spec = (image: string) => {
    const parsed = parseImageSource(image);
    if ('error' in parsed) throw new Error(parsed.error);
    return parsed;
  };
  it.each([
    [`${HOST}/app:staging`, `${HOST}/app`, 'staging'],
    [`${HOST}/app@${DIGEST}`, `${HOST}/app`, DIGEST],
    ['127.0.0.1:5000/app@' + DIGEST, '127.0.0.1:5000/app', DIGEST],
    [`${HOST.toUpperCase()}/app:v1`, `${HOST}/app`, 'v1'],
    // Another repository in the same registry: its layers are not in this one, so it is a copy.
    [`${HOST}/other:v1`, `${HOST}/app`, undefined],
    [`ghcr.io/acme/app:v1`, `${HOST}/app`, undefined],
    ['app:v1', `${HOST}/app`, undefined],
    [`${HOST}/app:v1`, undefined, undefined],
  ])('%s into %s → %s', (image, uri, expected) => {
    expect(promotionReference(spec(image), uri)).toBe(expected);
  });
});

describe('putImageOutcome', () => {
  it.each([
    [undefined, 'tagged'],
    ['ImageAlreadyExistsException', 'already-tagged'],
    ['ImageTagAlreadyExistsException', 'immutable-conflict'],
    ['LayersNotFoundException', undefined],
  ])('%s → %s', (name, outcome) => {
    expect(putImageOutcome(name)).toBe(outcome);
  });
});

describe('readSourceImage', () => {
  it('reads the manifest by digest from the named registry', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageDigest: DIGEST }, imageManifest: MANIFEST, imageManifestMediaType: 'm' }],
    });
    expect(await readSourceImage(ecr, repo, `${HOST}/app@${DIGEST}`, DIGEST)).toEqual({
      reference: DIGEST,
      digest: DIGEST,
      manifest: MANIFEST,
      mediaType: 'm',
    });
    expect(ecrMock.commandCalls(BatchGetImageCommand)[0]?.args[0].input).toMatchObject({
      registryId: '210987654321',
      repositoryName: 'app',
      imageIds: [{ imageDigest: DIGEST }],
    });
  });

  it('a missing source is an input error with ECR reason', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [
        {
          imageId: { imageTag: 'nope' },
          failureCode: 'ImageNotFound',
          failureReason: 'Requested image not found',
        },
      ],
    });
    await expect(readSourceImage(ecr, repo, `${HOST}/app:nope`, 'nope')).rejects.toThrow(
      `Input 'image' is '${HOST}/app:nope': expected an image in ECR repository 'app' (ECR says: Requested image not found).`,
    );
  });
});

describe('promoteTags', () => {
  it('one PutImage per tag with the same manifest; an existing identical tag is success', async () => {
    ecrMock
      .on(PutImageCommand, { imageTag: 'production' })
      .resolves({})
      .on(PutImageCommand, { imageTag: 'staging' })
      .rejects(new ImageAlreadyExistsException({ message: 'exists', $metadata: {} }));
    const results = await promoteTags(ecr, repo, source, ['production', 'staging'], (l) => log.push(l));
    expect(results).toEqual([
      { tag: 'production', outcome: 'tagged' },
      { tag: 'staging', outcome: 'already-tagged' },
    ]);
    const inputs = ecrMock.commandCalls(PutImageCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      expect.objectContaining({
        registryId: '210987654321',
        imageTag: 'production',
        imageManifest: MANIFEST,
        imageDigest: DIGEST,
      }),
      expect.objectContaining({ imageTag: 'staging', imageManifest: MANIFEST }),
    ]);
    expect(log).toContain(`staging already points at ${DIGEST}`);
  });

  it('an immutable tag pointing elsewhere is a clear error', async () => {
    ecrMock
      .on(PutImageCommand)
      .rejects(new ImageTagAlreadyExistsException({ message: 'immutable', $metadata: {} }));
    await expect(promoteTags(ecr, repo, source, ['production'], (l) => log.push(l))).rejects.toThrow(
      `Tag 'production' in repository 'app' already points at another image and the repository's tags are immutable, so ECR will not move it to ${DIGEST}: choose a new tag.`,
    );
  });

  it('other errors pass through unchanged', async () => {
    const err = Object.assign(new Error('layers missing'), { name: 'LayersNotFoundException' });
    ecrMock.on(PutImageCommand).rejects(err);
    await expect(promoteTags(ecr, repo, source, ['x'], () => undefined)).rejects.toThrow('layers missing');
  });
});
