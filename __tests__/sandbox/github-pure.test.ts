import { describe, expect, it } from '@jest/globals';
import { tokenOf } from '../../sandbox/github/auth.js';
import { matchPath, paginate } from '../../sandbox/github/http.js';
import { defaultRun, subjectOf } from '../../sandbox/github/run.js';

describe('subjectOf (the ID token sub)', () => {
  const run = defaultRun('org/app');
  it.each([
    [{}, 'repo:org/app:ref:refs/heads/main'],
    [{ ref: 'refs/tags/v1.2.0' }, 'repo:org/app:ref:refs/tags/v1.2.0'],
    [{ eventName: 'pull_request', ref: 'refs/pull/7/merge' }, 'repo:org/app:pull_request'],
    [{ eventName: 'pull_request', environment: 'preview' }, 'repo:org/app:environment:preview'],
    [{ environment: 'prod' }, 'repo:org/app:environment:prod'],
  ])('%j → %s', (change, sub) => {
    expect(subjectOf({ ...run, ...change })).toBe(sub);
  });
});

describe('tokenOf (Authorization header)', () => {
  it.each([
    ['token ghs_abc', 'ghs_abc'],
    ['Bearer ghs_abc', 'ghs_abc'],
    ['bearer ghs_abc', 'ghs_abc'],
    [`Basic ${Buffer.from('x-access-token:ghs_abc').toString('base64')}`, 'ghs_abc'],
    ['Digest ghs_abc', 'Digest ghs_abc'],
    [undefined, undefined],
  ])('%s → %s', (header, token) => {
    expect(tokenOf(header)).toBe(token);
  });
});

describe('matchPath', () => {
  it.each([
    ['/deployments/:id', '/deployments/42', { id: '42' }],
    ['/deployments/:id', '/deployments/', undefined],
    ['/deployments/:id', '/deployments/42/statuses', undefined],
    ['', '', {}],
  ])('%s on %s', (pattern, path, params) => {
    expect(matchPath(pattern, path)).toEqual(params);
  });
});

describe('paginate', () => {
  const items = Array.from({ length: 250 }, (_, i) => i);
  const page = (query: string) => paginate(items, new URL(`http://h/x${query}`));
  it.each([
    ['', 30, 0, 'rel="next"'],
    ['?per_page=500', 100, 0, 'page=3>; rel="last"'],
    ['?per_page=100&page=3', 50, 200, 'rel="first"'],
    ['?per_page=100&page=9', 0, undefined, 'rel="prev"'],
    ['?per_page=abc', 30, 0, 'per_page=abc&page=2>; rel="next"'],
  ])('%s → %i items from %s, Link with %s', (query, count, firstItem, link) => {
    const answer = page(query);
    expect((answer.body as number[]).length).toBe(count);
    expect((answer.body as number[])[0]).toBe(firstItem);
    expect(answer.headers?.link).toContain(link);
  });

  it('sends no Link header when everything fits one page', () => {
    expect(paginate([1, 2], new URL('http://h/x'))).toEqual({ status: 200, body: [1, 2] });
  });
});
