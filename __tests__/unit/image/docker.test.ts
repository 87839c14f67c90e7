import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ExecOptions, ExecOutput } from '@actions/exec';
import { UserError } from '../../../src/errors.js';

interface Call {
  args: string[];
  stdin: string | undefined;
}
type Fake = (args: string[], opts: ExecOptions) => Partial<ExecOutput>;

const calls: Call[] = [];
const saved: [string, string][] = [];
let fake: Fake = () => ({});

jest.unstable_mockModule('@actions/exec', () => ({
  getExecOutput: async (tool: string, args: string[] = [], opts: ExecOptions = {}): Promise<ExecOutput> => {
    expect(tool).toBe('docker');
    calls.push({ args, stdin: opts.input?.toString('utf8') });
    return { exitCode: 0, stdout: '', stderr: '', ...fake(args, opts) };
  },
}));
jest.unstable_mockModule('@actions/core', () => ({
  saveState: (name: string, value: string) => saved.push([name, value]),
  setSecret: () => undefined,
  info: () => undefined,
}));

const { dockerLogin, imageExists, pushImage } = await import('../../../src/image/docker.js');
const { dockerLogout } = await import('../../../src/image/docker-cli.js');

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const PASSWORD = 'eyJwYXlsb2FkIjoiczNjcjN0In0=';
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

beforeEach(() => {
  calls.length = 0;
  saved.length = 0;
  fake = () => ({});
});

describe('dockerLogin', () => {
  const login = { registry: REGISTRY, username: 'AWS', password: PASSWORD, expiresAt: undefined };

  it('sends the password on stdin only and remembers the registry for the post step', async () => {
    await dockerLogin(login);
    expect(calls).toEqual([
      { args: ['login', '--username', 'AWS', '--password-stdin', REGISTRY], stdin: PASSWORD },
    ]);
    expect(saved).toEqual([['registry', REGISTRY]]);
  });

  it('fails with a UserError that does not contain the password', async () => {
    fake = () => ({
      exitCode: 1,
      stderr: `WARNING! Using --password via the CLI is insecure.\nError response from daemon: login attempt to https://${REGISTRY}/v2/ failed with status: 401 Unauthorized (password ${PASSWORD})\n`,
    });
    const err = await dockerLogin(login).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err?.message).toMatch(
      /^docker login to .* failed: Error response from daemon: .*401 Unauthorized/,
    );
    expect(err?.message).not.toContain(PASSWORD);
    expect(saved).toEqual([]);
  });
});

describe('dockerLogout', () => {
  it('logs out of the registry', async () => {
    await dockerLogout(REGISTRY);
    expect(calls.map((c) => c.args)).toEqual([['logout', REGISTRY]]);
  });

  it('reports a failed logout', async () => {
    fake = () => ({ exitCode: 1, stderr: 'permission denied: /home/runner/.docker/config.json\n' });
    await expect(dockerLogout(REGISTRY)).rejects.toThrow(/docker logout .* failed: permission denied/);
  });
});

describe('imageExists', () => {
  it.each([
    [0, '', true],
    [1, 'Error: No such image: app:latest', false],
    [1, 'Error response from daemon: No such object: app:latest', false],
  ])('exit %s with %j → %s', async (exitCode, stderr, exists) => {
    fake = () => ({ exitCode, stderr, stdout: exitCode === 0 ? 'sha256:abc\n' : '' });
    await expect(imageExists('app:latest')).resolves.toBe(exists);
  });

  it('treats an unreachable daemon as an error, not as a missing image', async () => {
    fake = () => ({
      exitCode: 1,
      stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n',
    });
    await expect(imageExists('app:latest')).rejects.toThrow(/Cannot connect to the Docker daemon/);
  });
});

describe('pushImage', () => {
  const target = `${REGISTRY}/shop/web`;
  /** A docker that pushes `tag` with `digests[tag]` and records `recorded[tag]` in RepoDigests. */
  const docker =
    (digests: Record<string, string>, recorded: Record<string, string[]> = {}): Fake =>
    (args, opts) => {
      const ref = args[args.length - 1] ?? '';
      const tag = ref.slice(ref.lastIndexOf(':') + 1);
      if (args[0] === 'push') {
        const out = `The push refers to repository [${target}]\nabc: Pushed\n${tag}: digest: ${digests[tag]} size: 528\n`;
        for (const line of out.trimEnd().split('\n')) opts.listeners?.stdline?.(line);
        return { stdout: out };
      }
      if (args[0] === 'image') {
        return { stdout: `${JSON.stringify(recorded[tag] ?? [`${target}@${digests[tag]}`])}\n` };
      }
      return {};
    };
  const push = (tags: string[], log: (line: string) => void = () => undefined) =>
    pushImage({ image: 'app:latest', registry: REGISTRY, repository: 'shop/web', tags, log });

  it('tags and pushes each tag and returns the digest docker reported', async () => {
    fake = docker({ 'v1.2.3': D1, latest: D1 });
    const lines: string[] = [];
    await expect(push(['v1.2.3', 'latest'], (l) => lines.push(l))).resolves.toEqual({
      digest: D1,
      imageUri: `${target}@${D1}`,
    });
    expect(calls.map((c) => c.args.slice(0, 2).concat(c.args.slice(-1)))).toEqual([
      ['tag', 'app:latest', `${target}:v1.2.3`],
      ['push', `${target}:v1.2.3`, `${target}:v1.2.3`],
      ['image', 'inspect', `${target}:v1.2.3`],
      ['tag', 'app:latest', `${target}:latest`],
      ['push', `${target}:latest`, `${target}:latest`],
      ['image', 'inspect', `${target}:latest`],
    ]);
    expect(lines).toContain(`v1.2.3: digest: ${D1} size: 528`);
  });

  it.each([
    [
      'tags that got different digests',
      docker({ a: D1, b: D2 }),
      /different digests \(a=sha256:1+, b=sha256:2+\)/,
    ],
    [
      'a digest the engine did not record',
      docker({ a: D1, b: D1 }, { b: [`${target}@${D2}`] }),
      /reported sha256:1+, but the engine recorded/,
    ],
    [
      'no digest line',
      (args: string[]) => (args[0] === 'push' ? { stdout: 'abc: Pushed\n' } : {}),
      /printed no digest line/,
    ],
  ])('refuses %s', async (_case, behaviour, message) => {
    fake = behaviour;
    await expect(push(['a', 'b'])).rejects.toThrow(message);
  });

  it.each([
    [
      'tag',
      'Error response from daemon: No such image: app:latest',
      /^docker tag app:latest .* failed: .*No such image/,
    ],
    [
      'push',
      "name unknown: The repository with name 'shop/web' does not exist",
      /^docker push .* failed: name unknown/,
    ],
  ])('turns a failed docker %s into one UserError line', async (step, stderr, message) => {
    fake = (args) => (args[0] === step ? { exitCode: 1, stderr: `${stderr}\n` } : {});
    const err = await push(['v1']).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err?.message).toMatch(message);
  });
});
