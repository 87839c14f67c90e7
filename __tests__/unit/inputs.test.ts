import { describe, expect, it } from '@jest/globals';
import { parseList, readInputs } from '../../src/inputs.js';

const base: Record<string, string> = {
  image: 'myapp:latest',
  repository: 'team/my-app',
  service: 'web',
};
const env = { GITHUB_SHA: 'abc123', AWS_REGION: 'eu-west-1' };
const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';

describe('readInputs', () => {
  it('applies the documented defaults', () => {
    expect(readInputs(reader(base), env)).toEqual({
      awsRegion: 'eu-west-1',
      offline: false,
      image: {
        image: 'myapp:latest',
        repository: 'team/my-app',
        tags: ['abc123'],
        source: { kind: 'docker', image: 'myapp:latest' },
      },
      registry: {
        target: { kind: 'private', registryId: undefined, region: undefined },
        create: undefined,
        scanGate: undefined,
      },
      taskDefinition: {
        source: undefined,
        containers: [],
        images: {},
        changes: {
          environment: { set: [], remove: [] },
          secrets: { set: [], remove: [] },
          dockerLabels: { set: [], remove: [] },
          logOptions: { set: [], remove: [] },
          command: undefined,
          envFiles: [],
          cpu: undefined,
          memory: undefined,
          taskRoleArn: undefined,
          executionRoleArn: undefined,
        },
        allowUnknownKeys: false,
        dryRun: false,
      },
      deploy: {
        cluster: 'default',
        service: 'web',
        services: ['web'],
        wait: true,
        timeoutMinutes: 30,
        pollSeconds: 2,
        rollback: 'auto',
        desiredCount: undefined,
        forceNewDeployment: false,
        runTask: undefined,
        keepRevisions: 0,
      },
    });
  });

  it('parses lists, booleans, numbers and the region input', () => {
    const inputs = readInputs(
      reader({
        ...base,
        tags: 'v1\nlatest, release-2',
        containers: 'web\n  sidecar  \n',
        wait: 'false',
        'timeout-minutes': '12',
        'poll-seconds': '0.5',
        'aws-region': 'us-west-2',
        'task-definition': ' deploy/td.json ',
      }),
      env,
    );
    expect(inputs).toMatchObject({
      awsRegion: 'us-west-2',
      image: { tags: ['v1', 'latest', 'release-2'] },
      taskDefinition: { source: 'deploy/td.json', containers: ['web', 'sidecar'] },
      deploy: { wait: false, timeoutMinutes: 12, pollSeconds: 0.5 },
    });
  });

  it.each([
    ['auto', 'auto'],
    ['true', 'auto'],
    ['TRUE', 'auto'],
    ['false', 'false'],
    ['', 'auto'],
  ])("takes rollback '%s' (ECS's own word is true) as %s", (rollback, mode) => {
    expect(readInputs(reader({ ...base, rollback }), env).deploy.rollback).toBe(mode);
  });

  it.each([
    [
      { service: '' },
      env,
      "Input 'service' is required: the ECS service to update (only a dry run may omit it, to check a task definition file offline).",
    ],
    [
      { service: '', 'dry-run': 'true' },
      env,
      "Input 'task-definition' is required for a dry run without 'service': the task definition file to check offline.",
    ],
    [{ image: '' }, env, "Input 'image' is required: the local Docker image to push, e.g. myapp:latest."],
    [
      { 'timeout-minutes': '-5' },
      env,
      "Input 'timeout-minutes' is '-5': expected a number of minutes from 1 to 360.",
    ],
    [
      { 'poll-seconds': 'fast' },
      env,
      "Input 'poll-seconds' is 'fast': expected a number of seconds from 0.1 to 300.",
    ],
    [{ rollback: 'yes' }, env, "Input 'rollback' is 'yes': expected one of auto, true, false."],
    [{ wait: 'maybe' }, env, "Input 'wait' is 'maybe': expected true or false."],
    [{ repository: 'My_App' }, env, "Input 'repository' is 'My_App': expected an ECR repository name"],
    [{ tags: 'ok,bad tag' }, env, "Input 'tags' is 'bad tag': expected Docker tags"],
    [{}, { AWS_REGION: 'eu-west-1' }, "Input 'tags' is empty and GITHUB_SHA is not set"],
    [
      {},
      { GITHUB_SHA: 'abc' },
      "Input 'aws-region' is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set.",
    ],
    [{ 'aws-region': 'Frankfurt' }, env, "Input 'aws-region' is 'Frankfurt': expected an AWS region"],
    [{ containers: 'web;rm -rf' }, env, "Input 'containers' is 'web;rm -rf': expected container names"],
  ])('rejects %j with one clear line', (override, environment, message) => {
    const read = reader({ ...base, ...(override as Record<string, string>) });
    expect(() => readInputs(read, environment)).toThrow(message);
  });
});

describe('parseList', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a\nb', ['a', 'b']],
    ['a, b,,c\n\n', ['a', 'b', 'c']],
  ])('%j', (raw, expected) => expect(parseList(raw)).toEqual(expected));
});
