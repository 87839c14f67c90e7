import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../../src/errors.js';
import { readInputs } from '../../../src/inputs.js';

// Issue 9's reproduced input cases: each was accepted (or ended in a raw TypeError) and is now one line.
const base: Record<string, string> = { image: 'myapp:latest', repository: 'web', service: 'web' };
const env = { GITHUB_SHA: 'abc123', AWS_REGION: 'eu-west-1' };
const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';

function failure(values: Record<string, string>): Error {
  try {
    readInputs(read({ ...base, ...values }), env);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the inputs to be refused');
}

describe('inputs refused with one line', () => {
  it.each([
    [
      { containers: 'web=img\nweb=img2' },
      "Input 'containers' names 'web' more than once, with an image: give it one line.",
    ],
    [{ containers: 'web\nweb=img2' }, "Input 'containers' names 'web' more than once, with an image"],
    [
      { repository: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web' },
      "Input 'repository' is '123456789012.dkr.ecr.us-east-1.amazonaws.com/web': expected the repository name alone, such as 'web' (the registry goes in 'registry': 123456789012.dkr.ecr.us-east-1.amazonaws.com).",
    ],
    [
      { repository: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:v1' },
      "expected the repository name alone, such as 'team/web'",
    ],
    [
      { repository: 'public.ecr.aws/my-alias/web' },
      "such as 'web' (the registry goes in 'registry': public.ecr.aws)",
    ],
    [
      { image: '127.0.0.1:99999/app:v1' },
      "Input 'image' is '127.0.0.1:99999/app:v1': expected a registry port from 1 to 65535 (127.0.0.1:99999 has 99999).",
    ],
    [{ image: 'docker://registry.example.com:0/app:v1' }, 'expected a registry port from 1 to 65535'],
  ])('%j', (values, message) => {
    const err = failure(values);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(message);
  });

  it.each([
    [{ repository: 'team/web' }],
    [{ repository: 'my.registry.names/web' }],
    [{ image: '127.0.0.1:5000/app:v1' }],
    [{ image: '[::1]:5000/app:v1' }],
    [{ containers: 'web=img\nworker=img2', image: '', repository: '' }],
    [{ containers: 'web\nweb' }],
  ])('takes %j', (values) => {
    expect(() => readInputs(read({ ...base, ...values }), env)).not.toThrow();
  });
});
