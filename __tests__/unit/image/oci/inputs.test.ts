import { describe, expect, it } from '@jest/globals';
import { readImageInputs } from '../../../../src/inputs/image.js';

const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';
const base = { repository: 'app', tags: 'v1' };

describe('image inputs', () => {
  it('takes registry credentials for a registry source, the password exactly as given', () => {
    const inputs = readImageInputs(
      read({ ...base, image: 'ghcr.io/o/app:v1', 'source-username': ' me ', 'source-password': ' p@ss ' }),
      {},
    );
    expect(inputs.source).toEqual({ kind: 'remote', host: 'ghcr.io', repository: 'o/app', reference: 'v1' });
    expect(inputs.sourceCredentials).toEqual({ username: 'me', password: ' p@ss ' });
  });

  it.each([
    [
      { image: 'oci-layout:./out:bad tag' },
      "Input 'image' is 'oci-layout:./out:bad tag': expected a Docker image reference without spaces.",
    ],
    [
      { image: 'ghcr.io/Org/x' },
      "Input 'image' is 'ghcr.io/Org/x': expected a repository path of lowercase letters",
    ],
    [
      { image: 'app:v1', 'source-username': 'me', 'source-password': 'x' },
      "'image' is not a registry reference",
    ],
    [
      { image: 'r.io/app', 'source-password': 'secret-value' },
      "Input 'source-password' is set without 'source-username'.",
    ],
    [
      { image: 'r.io/app', 'source-username': 'me' },
      "Input 'source-username' is set without 'source-password'.",
    ],
  ])('refuses %j with one line', (values, message) => {
    expect(() => readImageInputs(read({ ...base, ...values }), {})).toThrow(message);
  });

  it('never puts the password into an error', () => {
    let message = '';
    try {
      readImageInputs(
        read({ ...base, image: 'app:v1', 'source-username': 'me', 'source-password': 'hunter2' }),
        {},
      );
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('hunter2');
  });
});
