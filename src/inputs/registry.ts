import { inputError, UserError } from '../errors.js';
import { parseBoolean, parseChoice, parseNumber, type InputReader } from './parse.js';

/** Which ECR registry the repository lives in. */
export type RegistryTarget =
  /** The caller's own registry (`registryId` omitted) or another account's by its 12-digit id. */
  | { kind: 'private'; registryId: string | undefined; region: string | undefined }
  /** ECR Public (`public.ecr.aws[/alias]`). */
  | { kind: 'public'; alias: string | undefined };

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What CreateRepository gets when `create-repository` is true. */
export interface NewRepositorySettings {
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryptionType: 'AES256' | 'KMS' | 'KMS_DSSE';
  /** KMS key ARN, id or alias; undefined = the AWS managed key for ECR. */
  kmsKey: string | undefined;
}

export interface ScanGateInputs {
  /** Fail before deploying when findings at or above this exist. */
  failOnSeverity: Severity;
  /** How long to wait for a scan that is PENDING / IN_PROGRESS. */
  timeoutSeconds: number;
  /** A scan that cannot give a verdict (FAILED, UNSUPPORTED_IMAGE, ...): fail the step, or warn and deploy. */
  unavailable: 'fail' | 'warn';
}

export interface RegistryInputs {
  target: RegistryTarget;
  /** undefined = the repository must exist (`create-repository: false`). */
  create: NewRepositorySettings | undefined;
  /** undefined = no scan gate (`fail-on-severity` empty). */
  scanGate: ScanGateInputs | undefined;
}

const ACCOUNT = /^\d{12}$/;
// <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn], optionally with a scheme or a trailing slash.
const PRIVATE_URI =
  /^(?:https?:\/\/)?(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?\/?$/;
const PUBLIC_URI = /^(?:https?:\/\/)?public\.ecr\.aws(?:\/([a-z0-9][a-z0-9_-]{1,254}))?\/?$/;

/** Pure: `registry` as an account id, a private registry URI or ECR Public. */
export function parseRegistry(raw: string): RegistryTarget {
  const value = raw.trim();
  if (value === '') return { kind: 'private', registryId: undefined, region: undefined };
  if (ACCOUNT.test(value)) return { kind: 'private', registryId: value, region: undefined };
  const uri = PRIVATE_URI.exec(value);
  if (uri) return { kind: 'private', registryId: uri[1], region: uri[2] };
  const pub = PUBLIC_URI.exec(value);
  if (pub) return { kind: 'public', alias: pub[1] };
  throw inputError(
    'registry',
    raw,
    'a 12-digit AWS account id, <account>.dkr.ecr.<region>.amazonaws.com, or public.ecr.aws/<alias>',
  );
}

/** Settings that only mean something together with another input: set alone, they would be ignored. */
function refuseWithout(read: InputReader, names: string[], needed: string): void {
  const set = names.find((n) => read(n).trim() !== '');
  if (set) throw new UserError(`Input '${set}' is set, but it only applies with ${needed}.`);
}

function readCreate(read: InputReader): NewRepositorySettings | undefined {
  const settings = ['image-tag-mutability', 'scan-on-push', 'encryption-type', 'kms-key'];
  if (!parseBoolean('create-repository', read('create-repository'), false)) {
    refuseWithout(read, settings, "'create-repository: true'");
    return undefined;
  }
  const kmsKey = read('kms-key').trim();
  // A KMS key implies KMS encryption; AES256 with a key is a contradiction ECR refuses.
  const encryptionType = parseChoice(
    'encryption-type',
    read('encryption-type'),
    ['AES256', 'KMS', 'KMS_DSSE'] as const,
    kmsKey === '' ? 'AES256' : 'KMS',
  );
  if (kmsKey !== '' && encryptionType === 'AES256') {
    throw new UserError("Input 'kms-key' is set, but 'encryption-type' is AES256: use KMS (or KMS_DSSE).");
  }
  if (/\s/.test(kmsKey)) throw inputError('kms-key', kmsKey, 'a KMS key ARN, key id or alias/NAME');
  return {
    imageTagMutability: parseChoice(
      'image-tag-mutability',
      read('image-tag-mutability'),
      ['MUTABLE', 'IMMUTABLE'] as const,
      'MUTABLE',
    ),
    scanOnPush: parseBoolean('scan-on-push', read('scan-on-push'), false),
    encryptionType,
    kmsKey: kmsKey === '' ? undefined : kmsKey,
  };
}

function readScanGate(read: InputReader): ScanGateInputs | undefined {
  if (read('fail-on-severity').trim() === '') {
    refuseWithout(read, ['scan-timeout-seconds', 'scan-unavailable'], "'fail-on-severity'");
    return undefined;
  }
  const failOnSeverity = parseChoice('fail-on-severity', read('fail-on-severity'), SEVERITIES, 'CRITICAL');
  const timeoutSeconds = parseNumber('scan-timeout-seconds', read('scan-timeout-seconds'), 600, {
    min: 1,
    max: 3600,
    unit: 'seconds',
  });
  const unavailable = parseChoice(
    'scan-unavailable',
    read('scan-unavailable'),
    ['fail', 'warn'] as const,
    'fail',
  );
  return { failOnSeverity, timeoutSeconds, unavailable };
}

// ECR Public repositories have none of these: no tag immutability, encryption choice or image scanning.
const PRIVATE_ONLY = [
  'image-tag-mutability',
  'scan-on-push',
  'encryption-type',
  'kms-key',
  'fail-on-severity',
  'scan-timeout-seconds',
  'scan-unavailable',
];

/** The registry, repository-creation and scan-gate inputs, in the order action.yml lists them. */
export function readRegistryInputs(read: InputReader): RegistryInputs {
  const target = parseRegistry(read('registry'));
  // Refused rather than ignored: a user asking for a scan gate must not get a deploy that skipped it.
  if (target.kind === 'public') refuseWithout(read, PRIVATE_ONLY, 'a private ECR registry, not ECR Public');
  const create = readCreate(read);
  const scanGate = readScanGate(read);
  return { target, create, scanGate };
}
