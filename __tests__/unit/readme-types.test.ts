import { describe, expect, it } from '@jest/globals';
import { inputType } from '../../scripts/readme-tables.js';

// action.yml has no types: the README's type column is read off each description, so it must not be fooled
// by a length ("2 to 64 of letters") or miss a range stated without parentheses.
describe('the type the README shows for an input', () => {
  it.each<[string, string, string]>([
    ['The STS session name (2 to 64 of letters, digits and `+=,.@_-`).', '', 'string'],
    ['How long each session lasts, 900 to 43200 seconds. Defaults to 3600; renewed sooner.', '', 'number'],
    ['Share of traffic the new revision gets first (0.1 to 100, steps of 0.1).', '', 'number'],
    ['Desired count of a preview service (0 to 100). Default 1.', '', 'number'],
    ['Seconds between two looks at the rollout.', '2', 'number'],
    ['`true` rolls back on failure.', 'false', 'boolean'],
    ['Tags, one per line.', '', 'list'],
    ['A JSON array of overrides, or `true`.', 'false', 'boolean or JSON array'],
    ['The cluster name.', 'default', 'string'],
  ])('%s → %s', (description, fallback, expected) => {
    expect(inputType({ description, default: fallback })).toBe(expected);
  });
});
