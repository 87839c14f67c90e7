import { describe, expect, it } from '@jest/globals';
import { parseChallenge, tokenUrl } from '../../../../src/image/oci/auth.js';
import { registryBase, registryErrorText } from '../../../../src/image/oci/client.js';
import { pickFromIndex } from '../../../../src/image/oci/layout.js';
import { archiveManifest, pickArchiveImage } from '../../../../src/image/oci/archive.js';
import { manifestMediaType, parseManifest, manifestBlob, MEDIA } from '../../../../src/image/oci/media.js';
import { backoffMs, HttpStatusError, isTransient } from '../../../../src/image/oci/retry.js';
import { parseImageSource } from '../../../../src/inputs/image-source.js';
import { formatProgress, uploadRanges } from '../../../../src/image/oci/upload.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageSource picks the source by the form of image', () => {
  it.each([
    ['myapp:latest', { kind: 'docker', image: 'myapp:latest' }],
    ['sha256:0123', { kind: 'docker', image: 'sha256:0123' }],
    ['team/app:v1', { kind: 'docker', image: 'team/app:v1' }],
    ['docker-daemon:ghcr.io/o/app:v1', { kind: 'docker', image: 'ghcr.io/o/app:v1' }],
    ['oci-layout:./out', { kind: 'oci-layout', path: './out', tag: undefined }],
    ['oci-layout:/tmp/l:v1.2', { kind: 'oci-layout', path: '/tmp/l', tag: 'v1.2' }],
    ['oci:/tmp/l:v1', { kind: 'oci-layout', path: '/tmp/l', tag: 'v1' }],
    ['docker-archive:img.tar', { kind: 'docker-archive', path: 'img.tar', reference: undefined }],
    ['docker-archive:img.tar:app:v1', { kind: 'docker-archive', path: 'img.tar', reference: 'app:v1' }],
    ['ghcr.io/org/app:v1', { kind: 'remote', host: 'ghcr.io', repository: 'org/app', reference: 'v1' }],
    [
      '127.0.0.1:5000/app',
      { kind: 'remote', host: '127.0.0.1:5000', repository: 'app', reference: 'latest' },
    ],
    ['localhost/a/b@' + D, { kind: 'remote', host: 'localhost', repository: 'a/b', reference: D }],
    ['r.io/app:v1@' + D, { kind: 'remote', host: 'r.io', repository: 'app', reference: D }],
    [
      'docker.io/nginx:1',
      { kind: 'remote', host: 'registry-1.docker.io', repository: 'library/nginx', reference: '1' },
    ],
    [
      'docker://nginx',
      { kind: 'remote', host: 'registry-1.docker.io', repository: 'library/nginx', reference: 'latest' },
    ],
  ])('%s', (image, expected) => {
    expect(parseImageSource(image)).toEqual(expected);
  });

  it.each([
    ['oci-layout:', /oci-layout:PATH/],
    ['oci-layout:./x:bad tag!', /tag of letters/],
    ['ghcr.io/Org/App:v1', /repository path of lowercase/],
    ['ghcr.io/org/app@sha256:xyz', /@sha256:<64 hex digits>/],
    ['docker-daemon:', /docker-daemon:NAME/],
    ['app@sha256:12', /@sha256:<64 hex digits>/],
    ['App:v1', /repository path of lowercase/],
  ])('refuses %s', (image, expected) => {
    const parsed = parseImageSource(image);
    expect('error' in parsed && parsed.error).toMatch(expected);
  });
});

describe('WWW-Authenticate challenges', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull',
        },
      },
    ],
    ['Basic realm="basic-realm"', { scheme: 'basic', params: { realm: 'basic-realm' } }],
    ['basic realm=x, charset="UTF-8"', { scheme: 'basic', params: { realm: 'x', charset: 'UTF-8' } }],
    ['', undefined],
  ])('%s', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });

  it('asks the realm for every scope the request needs, once each', () => {
    const challenge = parseChallenge(
      'Bearer realm="https://t.io/token",service="reg",scope="repository:a:pull"',
    );
    const url = tokenUrl(challenge!, ['repository:a:pull', 'repository:b:pull,push']);
    expect(url.origin + url.pathname).toBe('https://t.io/token');
    expect(url.searchParams.get('service')).toBe('reg');
    expect(url.searchParams.getAll('scope')).toEqual(['repository:a:pull', 'repository:b:pull,push']);
  });
});

describe('retries', () => {
  const coded = (code: string) => Object.assign(new Error('x'), { code });
  it.each([
    [coded('ECONNRESET'), true],
    [coded('EPIPE'), true],
    [new Error('socket hang up'), true],
    [new HttpStatusError(503, 'x'), true],
    [new HttpStatusError(429, 'x'), true],
    [new HttpStatusError(401, 'x', true), true],
    [new HttpStatusError(404, 'x'), false],
    [new HttpStatusError(401, 'x'), false],
    [coded('ENOENT'), false],
    ['a string', false],
  ])('%p is transient: %p', (err, expected) => {
    expect(isTransient(err)).toBe(expected);
  });

  it.each([
    [1, 0.5, 300],
    [2, 0.5, 600],
    [3, 0, 960],
    [10, 1, 9600],
  ])('attempt %d (jitter %p) waits %d ms', (attempt, random, ms) => {
    expect(backoffMs(attempt, 300, random)).toBe(ms);
  });
});

describe('upload plan and progress', () => {
  const MiB = 1024 * 1024;
  const ecr = { monolithicMax: 5 * MiB, chunkSize: 20 * MiB };
  it.each([
    [0, [[0, 0]]],
    [5 * MiB, [[0, 5 * MiB]]],
    [5 * MiB + 1, [[0, 5 * MiB + 1]]],
    [
      45 * MiB,
      [
        [0, 20 * MiB],
        [20 * MiB, 20 * MiB],
        [40 * MiB, 5 * MiB],
      ],
    ],
    [
      40 * MiB,
      [
        [0, 20 * MiB],
        [20 * MiB, 20 * MiB],
      ],
    ],
  ])('%d bytes go up as %j', (size, ranges) => {
    expect(uploadRanges(size, ecr).map((r) => [r.start, r.length])).toEqual(ranges);
  });

  it('prints bytes, share and rate', () => {
    expect(formatProgress(D, 120 * MiB, 480 * MiB, 2000)).toBe(
      'sha256:aaaaaaaaaaaa 120.0 MiB of 480.0 MiB (25%), 60.0 MiB/s',
    );
  });
});

describe('manifests', () => {
  const desc = { mediaType: MEDIA.ociLayer, digest: D, size: 3 };
  it.each([
    [{ schemaVersion: 2, manifests: [] }, undefined, MEDIA.ociIndex],
    [{ schemaVersion: 2, config: desc, layers: [] }, undefined, MEDIA.ociManifest],
    [{ mediaType: MEDIA.dockerList, manifests: [] }, undefined, MEDIA.dockerList],
    [{ config: desc }, MEDIA.dockerManifest, MEDIA.dockerManifest],
    [{ config: desc }, 'application/json', MEDIA.ociManifest],
  ])('%j served as %p is %p', (json, given, expected) => {
    expect(manifestMediaType(Buffer.from(JSON.stringify(json)), given)).toBe(expected);
  });

  it('lists the children of a manifest and of an index', () => {
    const image = manifestBlob(
      Buffer.from(JSON.stringify({ config: desc, layers: [desc, desc] })),
      MEDIA.ociManifest,
    );
    expect(parseManifest(image)).toEqual({ kind: 'image', config: desc, layers: [desc, desc] });
    const index = manifestBlob(Buffer.from(JSON.stringify({ manifests: [desc] })));
    expect(parseManifest(index)).toEqual({ kind: 'index', manifests: [desc] });
  });

  it('refuses what it cannot copy', () => {
    const v1 = manifestBlob(
      Buffer.from('{"schemaVersion":1}'),
      'application/vnd.docker.distribution.manifest.v1+prettyjws',
    );
    expect(() => parseManifest(v1)).toThrow(/only OCI and Docker v2/);
    const broken = manifestBlob(
      Buffer.from(JSON.stringify({ config: { digest: 'md5:x' } })),
      MEDIA.ociManifest,
    );
    expect(() => parseManifest(broken)).toThrow(/without a sha256 digest/);
  });

  it('writes a docker archive manifest the same way every time', () => {
    const a = archiveManifest({ ...desc, mediaType: MEDIA.dockerConfig }, [desc]);
    expect(a.equals(archiveManifest({ ...desc, mediaType: MEDIA.dockerConfig }, [desc]))).toBe(true);
    expect(JSON.parse(a.toString())).toEqual({
      schemaVersion: 2,
      mediaType: MEDIA.dockerManifest,
      config: { ...desc, mediaType: MEDIA.dockerConfig },
      layers: [desc],
    });
  });
});

describe('choosing the image inside a layout or an archive', () => {
  const tagged = (tag: string) => ({
    mediaType: MEDIA.ociManifest,
    digest: D,
    size: 1,
    annotations: { 'org.opencontainers.image.ref.name': tag },
  });
  it.each([
    [[tagged('v1')], undefined, tagged('v1')],
    [[tagged('v1'), tagged('v2')], 'v2', tagged('v2')],
    [[tagged('v1'), tagged('v2')], undefined, 'a tag, as the layout holds 2 images (tags: v1, v2)'],
    [[tagged('v1')], 'v3', 'a tag the layout has (tags: v1)'],
  ])('index %#', (manifests, tag, expected) => {
    expect(pickFromIndex({ manifests }, tag)).toEqual(expected);
  });

  const image = (tags: string[]) => ({ Config: 'c.json', RepoTags: tags, Layers: [] });
  it.each([
    [[image(['a:1'])], undefined, image(['a:1'])],
    [[image(['a:1']), image(['b:2'])], 'b:2', image(['b:2'])],
    [
      [image(['a:1']), image(['b:2'])],
      undefined,
      'NAME:TAG after the path, as the archive holds 2 images (a:1, b:2)',
    ],
    [[image([])], 'c:3', 'a NAME:TAG the archive holds (untagged)'],
  ])('archive %#', (images, ref, expected) => {
    expect(pickArchiveImage(images, ref)).toEqual(expected);
  });
});

describe('registry addressing', () => {
  it.each([
    ['127.0.0.1:5000', 'https://127.0.0.1:5000', true],
    ['localhost:5000', 'https://localhost:5000', true],
    [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      false,
    ],
    ['ghcr.io', 'https://ghcr.io', false],
  ])('%s is reached first at %s (plain HTTP fallback: %s)', (host, base, plainFallback) => {
    const found = registryBase(host);
    expect({ origin: found.base.origin, plainFallback: found.plainFallback }).toEqual({
      origin: base,
      plainFallback,
    });
  });

  it.each([
    [
      404,
      '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}',
      '404 NAME_UNKNOWN: repository name not known to registry',
    ],
    [502, '<html>Bad Gateway</html>', '502 <html>Bad Gateway</html>'],
  ])('error %d reads as one phrase', (status, body, expected) => {
    expect(registryErrorText(status, body)).toBe(expected);
  });
});
