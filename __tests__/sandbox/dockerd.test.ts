// Which Docker daemon the sandbox uses: one that already answers (a GitHub-hosted runner's system daemon,
// a desktop's), else its own — which only root can start.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonNeeded, openDockerDaemon, probeDockerDaemon } from '../../sandbox/dockerd.js';

let dir: string;
let server: Server;
let socket: string;
const pings: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecs-ship-dockerd-test-'));
  socket = join(dir, 'docker.sock');
  // Answers /_ping as dockerd does; stands for a daemon someone else started.
  server = createServer((req, res) => {
    pings.push(req.url ?? '');
    res.writeHead(req.url === '/_ping' ? 200 : 404).end('OK');
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('openDockerDaemon', () => {
  it('uses the daemon DOCKER_HOST names when it answers, starting none, with a DOCKER_CONFIG of its own', async () => {
    const daemon = await openDockerDaemon({ env: { DOCKER_HOST: `unix://${socket}` }, root: false });
    try {
      expect(daemon.kind).toBe('existing');
      expect(daemon.env.DOCKER_HOST).toBe(`unix://${socket}`);
      expect(existsSync(daemon.env.DOCKER_CONFIG)).toBe(true);
      expect(pings).toContain('/_ping');
    } finally {
      await daemon.stop();
    }
    // stop() removes only what the sandbox made: the daemon someone else started still answers.
    expect(existsSync(daemon.env.DOCKER_CONFIG)).toBe(false);
    expect((await probeDockerDaemon({ DOCKER_HOST: `unix://${socket}` })).answers).toBe(true);
  });

  it('as a user who is not root and finds no daemon, fails with one line saying what is needed', async () => {
    const host = `unix://${join(dir, 'none.sock')}`;
    await expect(openDockerDaemon({ env: { DOCKER_HOST: host }, root: false })).rejects.toThrow(
      `A Docker daemon is needed: no Docker daemon answers at ${host} (ENOENT) and only root can start one: `,
    );
  });

  it.each([
    [{ host: 'unix:///var/run/docker.sock', answers: false, reason: 'ENOENT' }, /only root can start one/],
    [
      { host: 'unix:///var/run/docker.sock', answers: false, reason: 'EACCES' },
      /may not use unix:\/\/\/var\/run\/docker.sock \(permission denied\): add it to the socket's group/,
    ],
  ])('says why in one line: %j', (probe, expected) => {
    const line = daemonNeeded(probe);
    expect(line).toMatch(expected);
    expect(line).not.toContain('\n');
  });

  it('reads DOCKER_HOST, else the default socket, as the docker CLI does', async () => {
    expect((await probeDockerDaemon({})).host).toBe('unix:///var/run/docker.sock');
    expect(await probeDockerDaemon({ DOCKER_HOST: 'ssh://host' })).toMatchObject({ answers: false });
  });
});
