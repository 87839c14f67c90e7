import { describe, expect, it } from '@jest/globals';
import { imageUri, parseDigestFromPushOutput, registryHost } from '../../../src/image/reference.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

describe('registryHost', () => {
  it.each([
    [`https://${ECR}`, ECR],
    [`https://${ECR}/`, ECR],
    [
      'https://123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
    ],
    ['http://127.0.0.1:5000', '127.0.0.1:5000'],
    ['http://localhost:4566/', 'localhost:4566'],
    [ECR, ECR],
    ['https://registry.example.com:443', 'registry.example.com'],
  ])('%s → %s', (endpoint, host) => {
    expect(registryHost(endpoint)).toBe(host);
  });

  it.each(['', 'https://', 'http://exa mple.com'])('rejects %j', (endpoint) => {
    expect(() => registryHost(endpoint)).toThrow(/registry endpoint/);
  });
});

describe('imageUri', () => {
  it.each([
    [ECR, 'shop/web', { tag: 'v1.2.3' }, `${ECR}/shop/web:v1.2.3`],
    [ECR, 'shop/web', { digest: DIGEST }, `${ECR}/shop/web@${DIGEST}`],
    [ECR, 'shop/web', { tag: 'latest', digest: DIGEST }, `${ECR}/shop/web@${DIGEST}`],
    ['127.0.0.1:5000', 'app', { tag: 'pr-12' }, '127.0.0.1:5000/app:pr-12'],
  ])('%s + %s + %j → %s', (host, repository, ref, uri) => {
    expect(imageUri(host, repository, ref)).toBe(uri);
  });

  it.each([
    [{}, /needs a tag or a digest/],
    [{ tag: 'has space' }, /Not a valid image tag/],
    [{ tag: '-leading-dash' }, /Not a valid image tag/],
    [{ digest: 'sha256:xyz' }, /Not a valid image digest/],
    [{ digest: '0123456789abcdef'.repeat(4) }, /Not a valid image digest/],
  ])('rejects %j', (ref, message) => {
    expect(() => imageUri(ECR, 'app', ref)).toThrow(message);
  });
});

describe('parseDigestFromPushOutput', () => {
  const push = (tag: string, digest: string): string =>
    [
      `The push refers to repository [${ECR}/shop/web]`,
      '5f70bf18a086: Preparing',
      '5f70bf18a086: Pushed',
      `${tag}: digest: ${digest} size: 528`,
      '',
    ].join('\n');
  const other = `sha256:${'f'.repeat(64)}`;

  it.each([
    ['a normal push', push('v1', DIGEST), DIGEST],
    [
      'a push of a layer that already existed',
      push('v1', DIGEST).replace('Pushed', 'Layer already exists'),
      DIGEST,
    ],
    ['CRLF line ends', push('v1', DIGEST).replace(/\n/g, '\r\n'), DIGEST],
    ['two pushes (the last one wins)', push('v1', other) + push('v2', DIGEST), DIGEST],
    ['no digest line', 'The push refers to repository [x]\nabc: Pushed\n', undefined],
    ['a digest that is not 64 hex digits', push('v1', 'sha256:abc'), undefined],
    ['a digest only mentioned in passing', `note: digest: ${DIGEST} size: 1 was expected\n`, undefined],
    ['empty output', '', undefined],
  ])('%s', (_case, output, digest) => {
    expect(parseDigestFromPushOutput(output)).toBe(digest);
  });
});
