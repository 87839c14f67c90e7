import { describe, expect, it } from '@jest/globals';
import { prepareDockerTrust } from '../../sandbox/docker-trust.js';

// What a developer who is not root meets on a machine not prepared for a registry docker verifies: one line
// with what is missing and the command that prepares it, never a quiet fall-back to an unchecked registry.
describe('prepareDockerTrust', () => {
  it('as a plain user on an unprepared machine: one line naming what is missing and the command', async () => {
    const missing = async () => ['the address 192.0.2.2 on lo', '/etc/docker/certs.d writable by this user'];
    const err = await prepareDockerTrust(false, missing).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^The sandbox registry needs the address 192\.0\.2\.2 on lo and \/etc\/docker\/certs\.d writable by this user, so that docker verifies its TLS certificate: as root, run bash \/\S+\/sandbox\/prepare-host\.sh\.$/,
    );
  });

  it('on this machine (prepared by .ci/run, or by the sandbox as root) there is nothing missing', async () => {
    await expect(prepareDockerTrust(false)).resolves.toBeUndefined();
  });
});
