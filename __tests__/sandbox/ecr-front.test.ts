// Which ECR action each registry request is, as ECR's IAM checks them (the Docker Registry HTTP API v2).
import { describe, expect, it } from '@jest/globals';
import { registryAction } from '../../sandbox/ecr-front.js';

describe('registryAction', () => {
  it.each([
    ['HEAD', '/v2/web/blobs/sha256:ab', 'ecr:BatchCheckLayerAvailability'],
    ['GET', '/v2/web/blobs/sha256:ab', 'ecr:GetDownloadUrlForLayer'],
    ['POST', '/v2/team/web/blobs/uploads/', 'ecr:InitiateLayerUpload'],
    ['POST', '/v2/web/blobs/uploads/?mount=sha256:ab&from=other', 'ecr:InitiateLayerUpload'],
    ['PATCH', '/v2/web/blobs/uploads/1f2e', 'ecr:UploadLayerPart'],
    ['PUT', '/v2/web/blobs/uploads/1f2e?digest=sha256:ab', 'ecr:CompleteLayerUpload'],
    ['HEAD', '/v2/web/manifests/v1', 'ecr:BatchGetImage'],
    ['PUT', '/v2/web/manifests/v1', 'ecr:PutImage'],
  ])('%s %s → %s', (method, path, action) => {
    expect(registryAction(method, path)?.action).toBe(action);
  });

  it('names the repository, with its namespace', () => {
    expect(registryAction('POST', '/v2/team/web/blobs/uploads/')?.repository).toBe('team/web');
  });

  it.each([
    ['HEAD', '/v2/alias/web/blobs/sha256:ab', 'ecr-public:BatchCheckLayerAvailability'],
    ['POST', '/v2/alias/web/blobs/uploads/', 'ecr-public:InitiateLayerUpload'],
    ['PATCH', '/v2/alias/web/blobs/uploads/1f2e', 'ecr-public:UploadLayerPart'],
    ['PUT', '/v2/alias/web/blobs/uploads/1f2e?digest=sha256:ab', 'ecr-public:CompleteLayerUpload'],
    ['PUT', '/v2/alias/web/manifests/v1', 'ecr-public:PutImage'],
  ])('ECR Public: %s %s → %s', (method, path, action) => {
    expect(registryAction(method, path, 'ecr-public')?.action).toBe(action);
  });

  it('ECR Public: the repository is the path after the alias, with its namespace', () => {
    expect(registryAction('POST', '/v2/alias/team/web/blobs/uploads/', 'ecr-public')?.repository).toBe(
      'team/web',
    );
  });

  it.each([
    ['GET', '/v2/alias/web/manifests/v1'],
    ['HEAD', '/v2/alias/web/manifests/v1'],
    ['GET', '/v2/alias/web/blobs/sha256:ab'],
  ])('ECR Public: pulls are anonymous and ask nothing (%s %s)', (method, path) => {
    expect(registryAction(method, path, 'ecr-public')).toBeUndefined();
  });

  it('the API root and the catalog are no repository action', () => {
    expect(registryAction('GET', '/v2/')).toBeUndefined();
    expect(registryAction('GET', '/v2/_catalog')).toBeUndefined();
  });
});
