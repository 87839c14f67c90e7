import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../../../src/inputs.js';
import { readGitHubInputs } from '../../../src/inputs/github.js';

const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';
const token = { 'github-token': 'ghs_x' };

describe('readGitHubInputs', () => {
  it('is undefined when neither environment nor preview is asked for', () => {
    expect(readGitHubInputs(reader(token))).toBeUndefined();
  });

  it('gives a preview its defaults', () => {
    expect(readGitHubInputs(reader({ ...token, preview: 'true' }))).toEqual({
      environment: undefined,
      token: 'ghs_x',
      environmentUrl: undefined,
      preview: {
        name: '{service}-pr-{number}',
        desiredCount: 1,
        listenerArn: undefined,
        host: undefined,
        deleteImages: false,
      },
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a preview environment shared by every pull request',
      { preview: 'true', environment: 'preview' },
      /^Input 'environment' is 'preview': expected a name with \{number\} when preview is true/,
    ],
    [
      'a preview name without {number}',
      { preview: 'true', 'preview-name': '{service}-preview' },
      /preview-name/,
    ],
    ['a preview input without preview', { 'preview-desired-count': '2' }, /'preview' is not true/],
    [
      'a listener without a host',
      {
        preview: 'true',
        'preview-listener-arn': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/2',
      },
      /without 'preview-host'/,
    ],
    ['an empty token', { preview: 'true', 'github-token': '' }, /'github-token' is empty/],
  ])('refuses %s', (_, values, message) => {
    expect(() => readGitHubInputs(reader({ ...token, ...values }))).toThrow(message);
  });

  it('takes a preview environment with {number}', () => {
    const inputs = readGitHubInputs(reader({ ...token, preview: 'true', environment: 'pr-{number}' }));
    expect(inputs?.environment).toBe('pr-{number}');
  });
});

describe('readInputs with previews', () => {
  const base = { ...token, service: 'web', preview: 'true', 'aws-region': 'us-east-1' };

  it('refuses preview-delete-images without a repository to delete from', () => {
    // Every container names its own image: nothing is pushed to a repository of ours.
    const given = { ...base, 'preview-delete-images': 'true', containers: 'app=nginx:1.27' };
    expect(() => readInputs(reader(given), {})).toThrow(
      "Input 'preview-delete-images' is true, but 'image' and 'repository' are not set",
    );
  });

  it('refuses several template services', () => {
    const given = { ...base, service: 'web, api', image: 'app:1', repository: 'app' };
    expect(() => readInputs(reader(given), { GITHUB_SHA: 'abc' })).toThrow(
      "Input 'service' is 'web, api': expected one service, the template of the previews.",
    );
  });

  it('takes preview-delete-images with image and repository', () => {
    const inputs = readInputs(
      reader({ ...base, 'preview-delete-images': 'true', image: 'app:1', repository: 'app' }),
      { GITHUB_SHA: 'abc' },
    );
    expect(inputs.github?.preview?.deleteImages).toBe(true);
  });
});
