import { describe, expect, it } from '@jest/globals';
import type { RunTaskInputs } from '../../../src/inputs/deploy.js';
import { containersOf, overrideContainer } from '../../../src/taskdef/containers.js';
import { runTaskInputs as spec } from '../deploy/fixtures.js';

const APP_AND_SIDECAR = [
  { name: 'app', essential: true },
  { name: 'log-router', essential: false },
];

describe('containersOf', () => {
  it('reads names, with essential defaulting to true as in ECS', () => {
    expect(
      containersOf({ containerDefinitions: [{ name: 'app' }, { name: 'log-router', essential: false }] }),
    ).toEqual(APP_AND_SIDECAR);
  });
});

describe('overrideContainer', () => {
  it.each<[string, Partial<RunTaskInputs>, string[], string | undefined]>([
    ['no command: no override', {}, ['app'], undefined],
    ['the one image container', { command: ['migrate'] }, ['app'], 'app'],
    ['run-task-container wins', { command: ['migrate'], container: 'log-router' }, ['app'], 'log-router'],
  ])('%s', (_n, over, imageContainers, expected) => {
    expect(overrideContainer(spec(over), APP_AND_SIDECAR, imageContainers)).toBe(expected);
  });

  it.each<[string, Partial<RunTaskInputs>, string[], RegExp]>([
    [
      'an unknown run-task-container',
      { command: ['x'], container: 'db' },
      ['app'],
      /^Input 'run-task-container' is 'db': expected one of the task definition's containers \(app, log-router\)\.$/,
    ],
    [
      'a command with two image containers',
      { command: ['x'] },
      ['app', 'log-router'],
      /2 containers get the image \(app, log-router\): name the one to run it in with 'run-task-container'/,
    ],
  ])('refuses %s before anything is written', (_n, over, imageContainers, message) => {
    expect(() => overrideContainer(spec(over), APP_AND_SIDECAR, imageContainers)).toThrow(message);
  });
});
