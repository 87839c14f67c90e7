import { describe, expect, it } from '@jest/globals';
import { renewAt } from '../../../src/aws/credentials.js';
import { idTokenClaims } from '../../../src/aws/sts-errors.js';
import { defaultSessionName, readRoleInputs } from '../../../src/inputs/credentials.js';

const MIN = 60_000;

describe('renewAt: trusts the Expiration STS returns, however short', () => {
  it.each([
    ['an hour', 60 * MIN, 55 * MIN],
    ['15 minutes', 15 * MIN, 10 * MIN],
    ['6 minutes', 6 * MIN, 3 * MIN],
    ['3 seconds', 3000, 1500],
    ['already expired', -1000, -1000],
  ])('a session of %s is renewed at %d ms', (_label, lifetime, at) => {
    expect(renewAt(0, lifetime)).toBe(at);
  });
});

describe('defaultSessionName', () => {
  it.each([
    [{ GITHUB_REPOSITORY: 'org/app', GITHUB_RUN_ID: '123' }, 'ecs-ship-app-123'],
    [{ GITHUB_REPOSITORY: 'org/my app!', GITHUB_RUN_ID: '9' }, 'ecs-ship-my-app-9'],
    [
      { GITHUB_REPOSITORY: `org/${'x'.repeat(100)}`, GITHUB_RUN_ID: '9120000001' },
      `ecs-ship-${'x'.repeat(44)}-9120000001`,
    ],
    [{}, 'ecs-ship'],
  ])('%j → %s', (env, name) => {
    expect(defaultSessionName(env)).toBe(name);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});

describe('readRoleInputs', () => {
  const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
  const oidc = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x/token?a=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' };
  const role = 'arn:aws:iam::123456789012:role/deploy';

  it('takes the ID token when the runner offers one', () => {
    expect(readRoleInputs(reader({ 'role-to-assume': role }), oidc)?.source).toEqual({
      kind: 'web-identity',
      requestUrl: oidc.ACTIONS_ID_TOKEN_REQUEST_URL,
      requestToken: 't',
      audience: 'sts.amazonaws.com',
    });
  });

  it('falls back to AssumeRole with keys in the environment', () => {
    const env = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' };
    expect(
      readRoleInputs(reader({ 'role-to-assume': role, 'role-external-id': 'ext-1' }), env)?.source,
    ).toEqual({
      kind: 'assume-role',
      externalId: 'ext-1',
    });
  });

  it.each([
    [{ 'role-to-assume': role }, {}, /permissions: id-token: write/],
    [{ 'role-to-assume': 'deploy' }, oidc, /Input 'role-to-assume' is 'deploy': expected a role ARN/],
    [
      { 'role-to-assume': role, 'role-duration-seconds': '60' },
      oidc,
      /'role-duration-seconds' is '60'.*900 to 43200/,
    ],
    [{ 'role-to-assume': role, 'role-session-name': 'a b' }, oidc, /'role-session-name' is 'a b'/],
    [{ 'role-session-name': 'x' }, oidc, /'role-session-name' is set, but 'role-to-assume' is empty/],
  ])('%j refused in one line', (inputs, env, message) => {
    expect(() => readRoleInputs(reader(inputs), env)).toThrow(message);
  });

  it('is undefined without role-to-assume', () => {
    expect(readRoleInputs(reader({}), oidc)).toBeUndefined();
  });
});

describe('idTokenClaims', () => {
  it.each([
    [
      `h.${Buffer.from('{"sub":"repo:o/a:ref:refs/heads/main"}').toString('base64url')}.s`,
      { sub: 'repo:o/a:ref:refs/heads/main' },
    ],
    ['not a token', {}],
    ['a.bm90IGpzb24.c', {}],
  ])('%s', (token, claims) => {
    expect(idTokenClaims(token)).toEqual(claims);
  });
});
