import { describe, expect, it } from '@jest/globals';
import { describeGitHubError, isTransientGitHubError } from '../../../src/github/client.js';

describe('isTransientGitHubError', () => {
  it.each<[string, unknown, boolean]>([
    ['502', { status: 502, message: 'Server Error' }, true],
    ['429', { status: 429, message: 'rate limited' }, true],
    ['403: an answer', { status: 403, message: 'Resource not accessible by integration' }, false],
    ['422: an answer', { status: 422, message: 'Validation Failed' }, false],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    ['a plain error', new Error('boom'), false],
  ])('%s', (_, err, transient) => {
    expect(isTransientGitHubError(err)).toBe(transient);
  });
});

describe('describeGitHubError', () => {
  it('names the permission a refused write needs, in one line', () => {
    const line = describeGitHubError(
      { status: 403, message: 'Resource not accessible\nmore' },
      'deployments',
    );
    expect(line).toBe(
      "the token cannot write here (403: Resource not accessible); it needs `permissions: deployments: write` (a fork's pull request never gets it)",
    );
  });
});
