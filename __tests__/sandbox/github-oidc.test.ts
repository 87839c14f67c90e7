import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as core from '@actions/core';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/server.js';

let github: GitHubSandbox;

beforeAll(async () => {
  github = await startGitHubSandbox();
});

afterAll(async () => {
  await github.close();
});

/** core.getIDToken as the action calls it, with the runner's two variables; what it printed is kept. */
async function getIdToken(audience?: string, env = github.env()) {
  const saved = { ...process.env };
  const printed: string[] = [];
  const write = process.stdout.write;
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  process.stdout.write = ((chunk: string) => (printed.push(String(chunk)), true)) as typeof write;
  try {
    return { token: await core.getIDToken(audience), printed: printed.join('') };
  } finally {
    process.stdout.write = write;
    process.env = saved;
  }
}

interface Jwk extends JsonWebKey {
  kid: string;
  alg: string;
  use: string;
}

/** What a relying party (the STS) does: discovery, then the JWKS, then the RS256 signature by kid. */
async function verifyAgainstIssuer(token: string, issuer: string) {
  const config = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    jwks_uri: string;
  };
  expect(config.issuer).toBe(issuer);
  const { keys } = (await (await fetch(config.jwks_uri)).json()) as { keys: Jwk[] };
  const [header, claims, signature] = token.split('.') as [string, string, string];
  const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as {
    alg: string;
    kid: string;
    typ: string;
  };
  const jwk = keys.find((k) => k.kid === head.kid);
  const valid =
    jwk !== undefined &&
    verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${claims}`),
      createPublicKey({ key: jwk, format: 'jwk' }),
      Buffer.from(signature, 'base64url'),
    );
  return {
    valid,
    head,
    jwk,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>,
  };
}

describe('the runner ID-token endpoint and the issuer', () => {
  it('answers core.getIDToken with an RS256 JWT the served JWKS verifies, with GitHub claims', async () => {
    const { token, printed } = await getIdToken('sts.amazonaws.com');
    expect(printed).toContain(`::add-mask::${token}`);
    const { valid, head, jwk, claims } = await verifyAgainstIssuer(token, github.oidc.issuer);
    expect(valid).toBe(true);
    expect(head).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(claims).toMatchObject({
      iss: github.oidc.issuer,
      aud: 'sts.amazonaws.com',
      sub: 'repo:org/app:ref:refs/heads/main',
      repository: 'org/app',
      repository_owner: 'org',
      ref: 'refs/heads/main',
      sha: github.run.sha,
      event_name: 'push',
      run_id: String(github.run.runId),
      job_workflow_ref: 'org/app/.github/workflows/deploy.yml@refs/heads/main',
    });
    expect(claims).not.toHaveProperty('environment');
    const { iat, nbf, exp } = claims as { iat: number; nbf: number; exp: number };
    expect(exp - iat).toBe(300);
    expect(nbf).toBeLessThanOrEqual(iat);
    expect(Math.abs(iat - Date.now() / 1000)).toBeLessThan(60);
    expect(github.oidc.requests.at(-1)).toMatchObject({ audience: 'sts.amazonaws.com', status: 200 });
  });

  it('defaults the audience to the owner URL, as GitHub does', async () => {
    const { token } = await getIdToken();
    expect((await verifyAgainstIssuer(token, github.oidc.issuer)).claims.aud).toBe('https://github.com/org');
    expect(github.oidc.requests.at(-1)?.audience).toBeUndefined();
  });

  it('names the environment in sub when the job has one, and a pull_request run by its event', async () => {
    github.run.environment = 'prod';
    try {
      const { claims } = await verifyAgainstIssuer(
        (await getIdToken('sts.amazonaws.com')).token,
        github.oidc.issuer,
      );
      expect(claims).toMatchObject({ sub: 'repo:org/app:environment:prod', environment: 'prod' });
    } finally {
      github.run.environment = undefined;
    }
    const event = await github.pullRequestEvent({ action: 'opened', number: 12, headRef: 'topic' });
    const { claims } = await verifyAgainstIssuer(
      (await getIdToken('sts.amazonaws.com')).token,
      github.oidc.issuer,
    );
    expect(claims).toMatchObject({
      sub: 'repo:org/app:pull_request',
      event_name: 'pull_request',
      ref: 'refs/pull/12/merge',
      sha: event.env.GITHUB_SHA,
      head_ref: 'topic',
      base_ref: 'main',
    });
    await github.pushEvent();
  });

  it('lets a test set claims and a short lifetime', async () => {
    github.oidc.claims = { sub: 'repo:org/other:ref:refs/heads/main', repository: 'org/other' };
    github.oidc.lifetimeSeconds = 2;
    try {
      const { claims } = await verifyAgainstIssuer(
        (await getIdToken('sts.amazonaws.com')).token,
        github.oidc.issuer,
      );
      expect(claims).toMatchObject({ sub: 'repo:org/other:ref:refs/heads/main', repository: 'org/other' });
      expect((claims.exp as number) - (claims.iat as number)).toBe(2);
    } finally {
      github.oidc.claims = {};
      github.oidc.lifetimeSeconds = 300;
    }
  });

  it('refuses a wrong request token with 401, which getIDToken reports', async () => {
    const env = { ...github.env(), ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'not-the-runner-token' };
    await expect(getIdToken('sts.amazonaws.com', env)).rejects.toThrow(/Error Code : 401/);
    expect(github.oidc.requests.at(-1)).toMatchObject({ status: 401 });
  });

  it('mints a forged token under the served kid that the JWKS does not verify', async () => {
    const genuine = await verifyAgainstIssuer(
      github.oidc.mint({ audience: 'sts.amazonaws.com' }),
      github.oidc.issuer,
    );
    const forged = await verifyAgainstIssuer(
      github.oidc.mint({ audience: 'sts.amazonaws.com', untrusted: true }),
      github.oidc.issuer,
    );
    expect([genuine.valid, forged.valid]).toEqual([true, false]);
    expect(forged.head.kid).toBe(genuine.head.kid);
  });
});
