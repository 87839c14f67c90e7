import { describe, expect, it } from '@jest/globals';
import { parseRegistry, readRegistryInputs } from '../../../../src/inputs/registry.js';

const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';

describe('parseRegistry', () => {
  it.each([
    ['', { kind: 'private', registryId: undefined, region: undefined }],
    ['123456789012', { kind: 'private', registryId: '123456789012', region: undefined }],
    [
      '210987654321.dkr.ecr.eu-west-1.amazonaws.com',
      { kind: 'private', registryId: '210987654321', region: 'eu-west-1' },
    ],
    [
      'https://210987654321.dkr.ecr-fips.us-gov-west-1.amazonaws.com/',
      { kind: 'private', registryId: '210987654321', region: 'us-gov-west-1' },
    ],
    [
      '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn',
      { kind: 'private', registryId: '210987654321', region: 'cn-north-1' },
    ],
    ['public.ecr.aws', { kind: 'public', alias: undefined }],
    ['public.ecr.aws/my-alias', { kind: 'public', alias: 'my-alias' }],
  ])('%s', (raw, expected) => {
    expect(parseRegistry(raw)).toEqual(expected);
  });

  it.each(['12345', 'ghcr.io', '123456789012.dkr.ecr.amazonaws.com', 'public.ecr.aws/Bad Alias'])(
    'refuses %s naming the input and what was expected',
    (raw) => {
      expect(() => parseRegistry(raw)).toThrow(
        `Input 'registry' is '${raw}': expected a 12-digit AWS account id, <account>.dkr.ecr.<region>.amazonaws.com, or public.ecr.aws/<alias>.`,
      );
    },
  );
});

describe('readRegistryInputs', () => {
  it('defaults: own registry, repository must exist, no scan gate', () => {
    expect(readRegistryInputs(reader({}))).toEqual({
      target: { kind: 'private', registryId: undefined, region: undefined },
      create: undefined,
      scanGate: undefined,
    });
  });

  it.each([
    [{}, { imageTagMutability: 'MUTABLE', scanOnPush: false, encryptionType: 'AES256', kmsKey: undefined }],
    [
      { 'image-tag-mutability': 'immutable', 'scan-on-push': 'true' },
      { imageTagMutability: 'IMMUTABLE', scanOnPush: true, encryptionType: 'AES256', kmsKey: undefined },
    ],
    [
      { 'kms-key': 'alias/ecr' },
      { imageTagMutability: 'MUTABLE', scanOnPush: false, encryptionType: 'KMS', kmsKey: 'alias/ecr' },
    ],
    [
      { 'encryption-type': 'KMS_DSSE' },
      { imageTagMutability: 'MUTABLE', scanOnPush: false, encryptionType: 'KMS_DSSE', kmsKey: undefined },
    ],
  ])('create-repository: true with %j', (extra, create) => {
    expect(readRegistryInputs(reader({ 'create-repository': 'true', ...extra })).create).toEqual(create);
  });

  it.each([
    [
      { 'scan-on-push': 'true' },
      "Input 'scan-on-push' is set, but it only applies with 'create-repository: true'.",
    ],
    [{ 'kms-key': 'alias/x' }, "Input 'kms-key' is set, but it only applies with 'create-repository: true'."],
    [
      { 'create-repository': 'true', 'kms-key': 'alias/x', 'encryption-type': 'AES256' },
      "Input 'kms-key' is set, but 'encryption-type' is AES256: use KMS (or KMS_DSSE).",
    ],
    [
      { 'create-repository': 'true', 'image-tag-mutability': 'sometimes' },
      "Input 'image-tag-mutability' is 'sometimes': expected one of MUTABLE, IMMUTABLE.",
    ],
    [{ 'create-repository': 'maybe' }, "Input 'create-repository' is 'maybe': expected true or false."],
    [
      { 'fail-on-severity': 'SEVERE' },
      "Input 'fail-on-severity' is 'SEVERE': expected one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL.",
    ],
    [
      { 'scan-timeout-seconds': '60' },
      "Input 'scan-timeout-seconds' is set, but it only applies with 'fail-on-severity'.",
    ],
    [
      { 'fail-on-severity': 'HIGH', 'scan-unavailable': 'ignore' },
      "Input 'scan-unavailable' is 'ignore': expected one of fail, warn.",
    ],
    [
      { 'fail-on-severity': 'HIGH', 'scan-timeout-seconds': '0' },
      "Input 'scan-timeout-seconds' is '0': expected a number of seconds from 1 to 3600.",
    ],
  ])('%j fails with one line', (values, message) => {
    expect(() => readRegistryInputs(reader(values))).toThrow(message);
  });

  it('reads the scan gate with its defaults', () => {
    expect(readRegistryInputs(reader({ 'fail-on-severity': 'high' })).scanGate).toEqual({
      failOnSeverity: 'HIGH',
      timeoutSeconds: 600,
      unavailable: 'fail',
    });
  });
});
