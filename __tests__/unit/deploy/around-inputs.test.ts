import { describe, expect, it } from '@jest/globals';
import { readDeployInputs } from '../../../src/inputs/deploy.js';

const read =
  (values: Record<string, string>) =>
  (name: string): string =>
    ({ service: 'web', ...values })[name] ?? '';

describe('readDeployInputs: around the update', () => {
  it('has defaults that change nothing beyond the revision', () => {
    expect(readDeployInputs(read({}))).toMatchObject({
      service: 'web',
      services: ['web'],
      desiredCount: undefined,
      forceNewDeployment: false,
      runTask: undefined,
      keepRevisions: 0,
    });
  });

  it.each<[string, Record<string, string>, object]>([
    [
      'several services',
      { service: 'web\n worker ,cron' },
      { service: 'web', services: ['web', 'worker', 'cron'] },
    ],
    ['desired count 0', { 'desired-count': '0' }, { desiredCount: 0 }],
    ['force', { 'force-new-deployment': 'true' }, { forceNewDeployment: true }],
    ['keep-revisions', { 'keep-revisions': '5' }, { keepRevisions: 5 }],
    [
      'run-task: true',
      { 'run-task': 'true' },
      {
        runTask: {
          command: undefined,
          container: undefined,
          subnets: [],
          securityGroups: [],
          assignPublicIp: undefined,
        },
      },
    ],
    [
      'run-task: a command and its network',
      {
        'run-task': '["npm", "run", "migrate"]',
        'run-task-container': 'app',
        'run-task-subnets': 'subnet-1a, subnet-1b',
        'run-task-security-groups': 'sg-123',
        'run-task-assign-public-ip': 'enabled',
      },
      {
        runTask: {
          command: ['npm', 'run', 'migrate'],
          container: 'app',
          subnets: ['subnet-1a', 'subnet-1b'],
          securityGroups: ['sg-123'],
          assignPublicIp: 'ENABLED',
        },
      },
    ],
    ['run-task: false', { 'run-task': 'false' }, { runTask: undefined }],
  ])('%s', (_n, values, expected) => {
    expect(readDeployInputs(read(values))).toMatchObject(expected);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'the same service twice',
      { service: 'web\narn:aws:ecs:us-east-1:123456789012:service/prod/web' },
      "Input 'service' is 'web': expected each service once.",
    ],
    [
      'a bad service in a list',
      { service: 'web, we b' },
      "Input 'service' is 'we b': expected service names or ARNs.",
    ],
    [
      'a negative count',
      { 'desired-count': '-1' },
      "Input 'desired-count' is '-1': expected a whole number of tasks from 0 to 5000.",
    ],
    [
      'a fractional count',
      { 'desired-count': '1.5' },
      "Input 'desired-count' is '1.5': expected a whole number of tasks from 0 to 5000.",
    ],
    [
      'force: maybe',
      { 'force-new-deployment': 'maybe' },
      "Input 'force-new-deployment' is 'maybe': expected true or false.",
    ],
    [
      'run-task: a word',
      { 'run-task': 'migrate' },
      'Input \'run-task\' is \'migrate\': expected true, false, or a command as a JSON array of strings, e.g. ["npm","run","migrate"].',
    ],
    [
      'run-task: broken JSON',
      { 'run-task': '["npm", run]' },
      'Input \'run-task\' is \'["npm", run]\': expected true, false, or a command as a JSON array of strings, e.g. ["npm","run","migrate"].',
    ],
    [
      'run-task: not strings',
      { 'run-task': '["exit", 1]' },
      'Input \'run-task\' is \'["exit", 1]\': expected true, false, or a command as a JSON array of strings, e.g. ["npm","run","migrate"].',
    ],
    [
      'subnets without run-task',
      { 'run-task-subnets': 'subnet-1' },
      "Input 'run-task-subnets' is set, but 'run-task' is not: set run-task too.",
    ],
    [
      'a bad subnet',
      { 'run-task': 'true', 'run-task-subnets': 'sg-1' },
      "Input 'run-task-subnets' is 'sg-1': expected subnet ids (subnet-...).",
    ],
    [
      'a bad public ip',
      { 'run-task': 'true', 'run-task-assign-public-ip': 'yes' },
      "Input 'run-task-assign-public-ip' is 'yes': expected one of ENABLED, DISABLED.",
    ],
    [
      'keep-revisions: all',
      { 'keep-revisions': 'all' },
      "Input 'keep-revisions' is 'all': expected a whole number of revisions from 0 to 1000.",
    ],
  ])('refuses %s in one line', (_n, values, message) => {
    expect(() => readDeployInputs(read(values))).toThrow(message);
  });
});
