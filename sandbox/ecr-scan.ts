import { AwsError } from './http.js';
import { registryIdOf, type Body, type EcrState, type Repository } from './ecr.js';

/**
 * What a test wants ECR's scanner to say about a repository's images, set with
 * `sandbox.state.ecr.scans.set('repo', { findings: { CRITICAL: 1 } })`. Each DescribeImageScanFindings call
 * for an image answers the next status of `progress`, then `status` for good.
 */
export interface ScanScript {
  /** Statuses answered in turn first, e.g. `['PENDING', 'IN_PROGRESS']`. Default `['IN_PROGRESS']`. */
  progress?: string[];
  /** The final status: COMPLETE (ACTIVE when enhanced) by default; FAILED, UNSUPPORTED_IMAGE, ... too. */
  status?: string;
  /** Finding counts by severity, e.g. `{ CRITICAL: 1, HIGH: 3 }`. */
  findings?: Record<string, number>;
  /** Enhanced (Inspector) scanning: continuous, so every image has a scan without scan-on-push. */
  enhanced?: boolean;
  /** imageScanStatus.description for a final status other than COMPLETE/ACTIVE. */
  description?: string;
}

const key = (repo: Repository, digest: string): string => `${repo.name}@${digest}`;

/** A scan exists when the repository scans on push, one was started, or scanning is enhanced. */
function scriptFor(state: EcrState, repo: Repository, digest: string): ScanScript | undefined {
  const script = state.scans.get(repo.name);
  if (script?.enhanced || repo.scanOnPush || state.startedScans.has(key(repo, digest))) return script ?? {};
  return undefined;
}

function statusAt(script: ScanScript, calls: number): string {
  const progress = script.progress ?? ['IN_PROGRESS'];
  return progress[calls] ?? script.status ?? (script.enhanced ? 'ACTIVE' : 'COMPLETE');
}

const FINAL_WITH_FINDINGS = ['COMPLETE', 'ACTIVE'];

function findingsOf(script: ScanScript, now: number, max: number): Body {
  const counts = script.findings ?? {};
  const list = Object.entries(counts).flatMap(([severity, n]) =>
    Array.from({ length: n }, (_, i) => ({ name: `CVE-SANDBOX-${severity}-${i + 1}`, severity })),
  );
  const shown = list.slice(0, max);
  return {
    imageScanCompletedAt: new Date(now),
    vulnerabilitySourceUpdatedAt: new Date(now),
    findingSeverityCounts: counts,
    ...(script.enhanced
      ? {
          enhancedFindings: shown.map((f) => ({
            title: f.name,
            severity: f.severity,
            type: 'PACKAGE_VULNERABILITY',
            status: 'ACTIVE',
          })),
        }
      : { findings: shown }),
  };
}

/** For DescribeImages: the status and counts the image shows now, without advancing its script. */
export function scanSummary(state: EcrState, repo: Repository, digest: string): Body | undefined {
  const script = scriptFor(state, repo, digest);
  if (!script) return undefined;
  const status = statusAt(script, Math.max(0, (state.scanCalls.get(key(repo, digest)) ?? 0) - 1));
  return {
    imageScanStatus: { status },
    ...(FINAL_WITH_FINDINGS.includes(status)
      ? { imageScanFindingsSummary: { findingSeverityCounts: script.findings ?? {} } }
      : {}),
  };
}

export function describeImageScanFindings(
  state: EcrState,
  repo: Repository,
  body: Body,
  digest: string,
  now: number,
): Body {
  const script = scriptFor(state, repo, digest);
  const imageId = { imageDigest: digest, ...((body.imageId ?? {}) as Body) };
  if (!script) {
    throw new AwsError(
      'ScanNotFoundException',
      `Image scan does not exist for the image with '{imageDigest:'${digest}', imageTag:'null'}' in the repository with name '${repo.name}' in the registry with id '${registryIdOf(body)}'`,
    );
  }
  const calls = state.scanCalls.get(key(repo, digest)) ?? 0;
  state.scanCalls.set(key(repo, digest), calls + 1);
  const status = statusAt(script, calls);
  const final = FINAL_WITH_FINDINGS.includes(status);
  const description = final
    ? 'The scan was completed successfully.'
    : (script.description ?? (status === 'FAILED' ? 'The scan failed.' : undefined));
  return {
    registryId: registryIdOf(body),
    repositoryName: repo.name,
    imageId,
    imageScanStatus: { status, description },
    ...(final
      ? {
          imageScanFindings: findingsOf(
            script,
            now,
            typeof body.maxResults === 'number' ? body.maxResults : 100,
          ),
        }
      : {}),
  };
}

/** Basic scanning on demand. Real ECR allows one per image per 24 h; the sandbox refuses a second. */
export function startImageScan(state: EcrState, repo: Repository, body: Body, digest: string): Body {
  const script = state.scans.get(repo.name);
  if (script?.enhanced) {
    throw new AwsError(
      'ValidationException',
      'This feature is disabled when enhanced scanning is enabled for the registry.',
    );
  }
  if (state.startedScans.has(key(repo, digest))) {
    throw new AwsError(
      'LimitExceededException',
      'The scan quota per image has been exceeded. Wait and try again.',
    );
  }
  state.startedScans.add(key(repo, digest));
  return {
    registryId: registryIdOf(body),
    repositoryName: repo.name,
    imageId: { imageDigest: digest },
    imageScanStatus: { status: 'IN_PROGRESS' },
  };
}
