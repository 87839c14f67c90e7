import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { sandboxEcs, seedService } from '../../sandbox/seed.js';

// Issue 9, item 3 and the reproduced input cases: errors in words. Each once ended in a raw exception
// (`TypeError: Invalid URL`) or was accepted silently; now it is one line naming the input and the fix,
// with no stack trace and no write.

let environment: Environment;
const NGINX = 'public.ecr.aws/nginx/nginx:1.27';

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20 });
  await seedService(sandboxEcs(environment.env), { service: 'words', desiredCount: 1 });
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/** Runs the step; asserts what a user checks of a refused step, and returns its one error line. */
async function refused(inputs: Record<string, string>, env = environment.env): Promise<StepResult> {
  const before = environment.aws.requests.length;
  const { main } = await runAction({
    inputs: { service: 'words', 'poll-seconds': '0.2', ...inputs },
    env,
    post: false,
  });
  expect(main.code).toBe(1);
  expect(errorLines(main)).toHaveLength(1);
  expect(errorLines(main)[0]).not.toMatch(/TypeError|ReferenceError|SyntaxError/);
  expect(`${main.stdout}${main.stderr}`).not.toMatch(/^\s+at /m);
  expect(environment.aws.requests.slice(before).filter((r) => r.write)).toEqual([]);
  return main;
}

describe('input mistakes are one line', () => {
  it.each([
    [
      'an image reference with an invalid port',
      { image: '127.0.0.1:99999/app:v1', repository: 'words', tags: 'v1' },
      "::error::Input 'image' is '127.0.0.1:99999/app:v1': expected a registry port from 1 to 65535 (127.0.0.1:99999 has 99999).",
    ],
    [
      'one container named twice with two images',
      { containers: `words=${NGINX}\nwords=${NGINX}-other` },
      "::error::Input 'containers' names 'words' more than once, with an image: give it one line.",
    ],
    [
      'a full ECR URI as the repository',
      { image: 'words-app:1', repository: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web', tags: 'v1' },
      "::error::Input 'repository' is '123456789012.dkr.ecr.us-east-1.amazonaws.com/web': expected the repository name alone, such as 'web' (the registry goes in 'registry': 123456789012.dkr.ecr.us-east-1.amazonaws.com).",
    ],
  ])(
    '%s',
    async (_case, inputs, line) => {
      expect(errorLines(await refused(inputs))).toEqual([line]);
    },
    30_000,
  );
});

describe('environment faults name the fix', () => {
  it('no credentials: configure-aws-credentials, or role-to-assume with id-token: write', async () => {
    const { AWS_ACCESS_KEY_ID: _k, AWS_SECRET_ACCESS_KEY: _s, ...rest } = environment.env;
    const env = {
      ...rest,
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_CONFIG_FILE: '/nonexistent/config',
    };
    const main = await refused({ containers: `words=${NGINX}` }, env);
    expect(errorLines(main)).toEqual([
      '::error::No AWS credentials: add aws-actions/configure-aws-credentials before this step, or set role-to-assume on it (the job needs `permissions: id-token: write`).',
    ]);
  }, 60_000);

  it('an endpoint that does not answer: which service, operation and endpoint', async () => {
    const env = { ...environment.env, AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:1' };
    const main = await refused({ containers: `words=${NGINX}` }, env);
    expect(errorLines(main)).toEqual([
      "::error::ECS did not answer DescribeServices at http://127.0.0.1:1 (ECONNREFUSED, after retries): check the runner's network, its proxy (HTTPS_PROXY) and AWS_ENDPOINT_URL_* settings.",
    ]);
  }, 90_000);
});
