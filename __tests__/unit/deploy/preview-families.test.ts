import { describe, expect, it } from '@jest/globals';
import { candidateFamilies } from '../../../src/deploy/preview-families.js';

describe('candidateFamilies', () => {
  it('keeps the families that end in -pr-N for exactly that N', () => {
    const families = ['web', 'web-pr-7', 'webapp-pr-7', 'web-pr-17', 'web-pr-70', 'web-pr-7x', 'other-pr-7'];
    expect(candidateFamilies(families, 7)).toEqual(['web-pr-7', 'webapp-pr-7', 'other-pr-7']);
  });
});
