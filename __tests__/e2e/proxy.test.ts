import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import type { GitHubSandbox } from '../../sandbox/github/server.js';
import { startForwardProxy, type ForwardProxy } from '../../sandbox/proxy.js';
import { errorLines, runAction } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { gitHubTrustPolicy } from '../../sandbox/trust.js';
import { writeOciLayout } from './publish-helpers.js';

let environment: Environment & { github: GitHubSandbox };
let proxy: ForwardProxy;
let ecs: ECSClient;
let oidcEnv: Record<string, string>;
let layout: string;

beforeAll(async () => {
  [environment, proxy] = await Promise.all([
    startEnvironment({ timeScale: 20, docker: false, github: true }),
    startForwardProxy(),
  ]);
  ecs = sandboxEcs(environment.env);
  const provider = [...environment.aws.iam.oidcProviders.values()][0]?.arn ?? '';
  environment.aws.iam.addRole('deploy', {
    trustPolicy: gitHubTrustPolicy(provider, { sub: 'repo:org/app:*' }),
  });
  const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...rest } = environment.env;
  oidcEnv = rest;
  layout = join(await mkdtemp(join(tmpdir(), 'ecs-ship-proxy-layout-')), 'layout');
  await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [50_000] }]);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await environment?.stop();
});

async function deploy(service: string, env: Record<string, string>) {
  await seedService(ecs, { service, desiredCount: 1 });
  await waitSteady(ecs, service);
  const before = (await proxy.requests()).length;
  const from = environment.aws.requests.length;
  const { main } = await runAction({
    inputs: {
      image: `oci-layout:${layout}:v1`,
      repository: service,
      tags: 'v1',
      'create-repository': 'true',
      service,
      'poll-seconds': '0.2',
      'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
    },
    env,
    post: false,
  });
  const calls = environment.aws.requests.slice(from).filter((r) => /\becs-ship\//.test(r.userAgent));
  const proxied = (await proxy.requests()).slice(before);
  return { main, calls, proxied };
}

describe('behind a forward proxy', () => {
  it('sends every AWS, registry and ID-token request of the deploy through HTTPS_PROXY / HTTP_PROXY', async () => {
    const { main, calls, proxied } = await deploy('proxied', {
      ...oidcEnv,
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    const aws = proxied.filter((r) => r.startsWith(`POST ${environment.aws.endpoint}/ `));
    expect(calls.length).toBeGreaterThan(5);
    expect(aws).toHaveLength(calls.length);
    // The registry speaks TLS, as ECR does: the proxy carries tunnels to it and never sees inside them.
    const registry = proxied.filter((r) => r.startsWith(`CONNECT ${environment.registry.host} `));
    expect(registry.length).toBeGreaterThanOrEqual(1);
    expect(main.outputs['image-digest']).toMatch(/^sha256:/);
    const oidcHost = new URL(environment.github.oidc.issuer).host;
    expect(proxied.filter((r) => r.startsWith(`GET http://${oidcHost}/`))).toHaveLength(1);
    // Nothing else went around it: every line is one of those.
    expect(proxied.length).toBe(aws.length + registry.length + 1);
  }, 120_000);

  it('with no_proxy naming the endpoints (lower case), sends none through it', async () => {
    const { main, calls, proxied } = await deploy('exempt', {
      ...oidcEnv,
      https_proxy: proxy.url,
      http_proxy: proxy.url,
      // The AWS and GitHub sandboxes are on loopback; the registry on the address docker verifies.
      no_proxy: `127.0.0.1,${environment.registry.host.split(':')[0]}`,
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(calls.length).toBeGreaterThan(5);
    expect(proxied).toEqual([]);
  }, 120_000);
});
