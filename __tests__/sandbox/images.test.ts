import { describe, expect, it } from '@jest/globals';
import { parseImage } from '../../sandbox/images.js';

describe('parseImage', () => {
  it.each([
    ['127.0.0.1:5000/web:v2', { host: '127.0.0.1:5000', repository: 'web', reference: 'v2' }],
    ['127.0.0.1:5000/team/web', { host: '127.0.0.1:5000', repository: 'team/web', reference: 'latest' }],
    ['127.0.0.1:5000/web@sha256:abc', { host: '127.0.0.1:5000', repository: 'web', reference: 'sha256:abc' }],
    [
      '127.0.0.1:5000/web:v2@sha256:abc',
      { host: '127.0.0.1:5000', repository: 'web', reference: 'sha256:abc' },
    ],
    [
      'public.ecr.aws/nginx/nginx:stable',
      { host: 'public.ecr.aws', repository: 'nginx/nginx', reference: 'stable' },
    ],
    ['localhost/app:1', { host: 'localhost', repository: 'app', reference: '1' }],
  ])('%s', (image, expected) => {
    expect(parseImage(image)).toEqual(expected);
  });

  it.each(['nginx', 'nginx:1', 'library/nginx:1'])('%s has no registry host (Docker Hub)', (image) => {
    expect(parseImage(image)).toBeUndefined();
  });
});
