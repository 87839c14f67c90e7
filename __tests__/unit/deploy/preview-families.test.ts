import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { candidateFamilies, taggedPreviewFamilies } from '../../../src/deploy/preview-families.js';

describe('candidateFamilies', () => {
  it('keeps the families that end in -pr-N for exactly that N', () => {
    const families = ['web', 'web-pr-7', 'webapp-pr-7', 'web-pr-17', 'web-pr-70', 'web-pr-7x', 'other-pr-7'];
    expect(candidateFamilies(families, 7)).toEqual(['web-pr-7', 'webapp-pr-7', 'other-pr-7']);
  });
});

describe('taggedPreviewFamilies', () => {
  const ecsMock = mockClient(ECSClient);
  const ecs = new ECSClient({ region: 'us-east-1' });
  const TAG = { key: 'ecs-ship:preview', value: 'org/app/pull/7' };
  const revision = (family: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:3`;

  beforeEach(() => {
    ecsMock.reset();
    // Two pages of families, as ECS pages them: the second is asked for with the first one's token.
    ecsMock.on(ListTaskDefinitionFamiliesCommand).callsFake((input: { nextToken?: string }) => {
      if (input.nextToken === undefined) return { families: ['web', 'web-pr-7'], nextToken: 'page-2' };
      if (input.nextToken === 'page-2') return { families: ['worker-pr-7', 'other-pr-7'] };
      throw new Error(`no page for nextToken ${input.nextToken}`);
    });
    ecsMock.on(ListTaskDefinitionsCommand).callsFake((input: { familyPrefix?: string }) => ({
      taskDefinitionArns: [revision(input.familyPrefix ?? '')],
    }));
    ecsMock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition?: string }) => ({
      // other-pr-7 is another repository's PR of the same number.
      tags: [input.taskDefinition === revision('other-pr-7') ? { ...TAG, value: 'org/other/pull/7' } : TAG],
    }));
  });

  it('reads every page of families and keeps those whose newest revision carries the tag', async () => {
    expect(await taggedPreviewFamilies(ecs, 7, TAG)).toEqual(['web-pr-7', 'worker-pr-7']);
    expect(ecsMock.commandCalls(ListTaskDefinitionFamiliesCommand)).toHaveLength(2);
  });

  it('names the IAM action when a later page of families is denied', async () => {
    ecsMock
      .on(ListTaskDefinitionFamiliesCommand)
      .resolvesOnce({ families: ['web-pr-7'], nextToken: 'page-2' })
      .rejects(new AccessDeniedException({ message: 'not allowed', $metadata: {} }));
    await expect(taggedPreviewFamilies(ecs, 7, TAG)).rejects.toThrow(
      'Access denied listing task-definition families: allow ecs:ListTaskDefinitionFamilies (not allowed)',
    );
  });
});
