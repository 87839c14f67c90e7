import { DescribeImageScanFindingsCommand, StartImageScanCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { isNamed } from '../../aws/errors.js';
import { UserError } from '../../errors.js';
import { SEVERITIES, type ScanGateInputs, type Severity } from '../../inputs/registry.js';
import type { Logger } from '../../report/log.js';
import type { RepositoryPlan } from './repository.js';
import type { Clock } from '../../poll/clock.js';
import { Poller, type Next } from '../../poll/poller.js';

/** One DescribeImageScanFindings answer, reduced to what the gate judges. */
export type ScanSnapshot =
  | { found: false }
  | { found: true; status: string; description: string | undefined; counts: Record<string, number> };

export type ScanVerdict =
  | { kind: 'wait'; status: string }
  | { kind: 'passed' | 'blocked'; counts: Record<string, number>; blocking: number }
  | { kind: 'unavailable'; status: string; reason: string };

const WAITING = ['PENDING', 'IN_PROGRESS'];
// COMPLETE is basic scanning's result; ACTIVE is enhanced (Inspector) scanning's, which keeps rescanning.
const JUDGED = ['COMPLETE', 'ACTIVE'];

/** Pure: findings at or above the threshold. UNDEFINED / UNTRIAGED severities have no rank and do not count. */
export function blockingCount(counts: Record<string, number>, threshold: Severity): number {
  const from = SEVERITIES.indexOf(threshold);
  return SEVERITIES.slice(from).reduce((n, s) => n + (counts[s] ?? 0), 0);
}

/** Pure: wait, a verdict, or "this scan cannot give one" (FAILED, UNSUPPORTED_IMAGE, any status we do not know). */
export function judgeScan(snapshot: ScanSnapshot, threshold: Severity): ScanVerdict {
  if (!snapshot.found) return { kind: 'wait', status: 'NOT_FOUND' };
  const { status, counts } = snapshot;
  if (WAITING.includes(status)) return { kind: 'wait', status };
  if (JUDGED.includes(status)) {
    const blocking = blockingCount(counts, threshold);
    return { kind: blocking > 0 ? 'blocked' : 'passed', counts, blocking };
  }
  const reason = snapshot.description ? `${status}: ${snapshot.description}` : status;
  return { kind: 'unavailable', status, reason };
}

/** Pure: `CRITICAL 1, HIGH 2` in severity order, most severe first, unranked ones last. */
export function formatCounts(counts: Record<string, number>): string {
  const ranked = [...SEVERITIES].reverse().filter((s) => (counts[s] ?? 0) > 0);
  const others = Object.keys(counts).filter(
    (s) => !SEVERITIES.includes(s as Severity) && (counts[s] ?? 0) > 0,
  );
  const parts = [...ranked, ...others].map((s) => `${s} ${counts[s]}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

export interface ScanGateResult {
  verdict: ScanVerdict;
  digest: string;
  threshold: Severity;
}

async function snapshot(ecr: ECRClient, repo: RepositoryPlan, digest: string): Promise<ScanSnapshot> {
  try {
    const out = await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: repo.name,
        ...(repo.registryId ? { registryId: repo.registryId } : {}),
        imageId: { imageDigest: digest },
        // Only the counts are judged; they summarise every page.
        maxResults: 1,
      }),
    );
    return {
      found: true,
      status: out.imageScanStatus?.status ?? 'UNKNOWN',
      description: out.imageScanStatus?.description,
      counts: (out.imageScanFindings?.findingSeverityCounts ?? {}) as Record<string, number>,
    };
  } catch (err) {
    if (isNamed(err, 'ScanNotFoundException')) return { found: false };
    throw err;
  }
}

/**
 * Polls the image's scan until it gives a verdict, bounded by `timeoutSeconds`. An image without a scan
 * (no scan-on-push, basic scanning) gets one StartImageScan; when ECR refuses it (enhanced scanning, quota,
 * unsupported image) that refusal is the "no verdict" reason.
 */
export async function waitForScan(
  ecr: ECRClient,
  repo: RepositoryPlan,
  digest: string,
  gate: ScanGateInputs,
  opts: { pollMs: number; log: (line: string) => void; clock?: Clock },
): Promise<ScanGateResult> {
  // The gate gives up as soon as its next look would come after the deadline.
  const poller = new Poller({
    intervalMs: opts.pollMs,
    timeoutMs: gate.timeoutSeconds * 1000,
    log: opts.log,
    clock: opts.clock,
    pollAtDeadline: false,
  });
  const done = (verdict: ScanVerdict): ScanGateResult => ({
    verdict,
    digest,
    threshold: gate.failOnSeverity,
  });
  let started = false;
  let status = '';
  const waited = await poller.until(
    async (): Promise<Next<ScanVerdict>> => {
      const seen = await snapshot(ecr, repo, digest);
      const verdict = judgeScan(seen, gate.failOnSeverity);
      if (verdict.kind !== 'wait') return { done: verdict };
      status = verdict.status;
      const moved = poller.changed('scan status', status);
      if (seen.found || started) {
        if (moved) poller.print(`Scan ${status}`);
        return 'wait';
      }
      started = true;
      try {
        await ecr.send(
          new StartImageScanCommand({
            repositoryName: repo.name,
            ...(repo.registryId ? { registryId: repo.registryId } : {}),
            imageId: { imageDigest: digest },
          }),
        );
      } catch (err) {
        const reason = `no scan, and StartImageScan was refused: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
        return { done: { kind: 'unavailable', status: 'NOT_FOUND', reason } };
      }
      poller.print(`No scan of ${digest} yet: started one`);
      return 'wait';
    },
    // A scan can stay IN_PROGRESS for minutes: the heartbeat says what the gate waits for, as the watcher's.
    () => `the scan of ${digest}: ${status || 'not started'}`,
  );
  if (!waited.timedOut) return done(waited.value);
  const reason = `still ${status} after ${gate.timeoutSeconds} s (scan-timeout-seconds)`;
  return done({ kind: 'unavailable', status, reason });
}

/**
 * The scan gate, between publishing and registering: waits for the scan and prints its counts. What it
 * means for the step is `enforceScanGate`'s, once the result is in the report.
 */
export async function scanGateStage(
  ecr: ECRClient,
  repo: RepositoryPlan,
  digest: string,
  gate: ScanGateInputs,
  opts: { pollMs: number; log: Logger; clock?: Clock },
): Promise<ScanGateResult> {
  const { log } = opts;
  const result = await waitForScan(ecr, repo, digest, gate, { ...opts, log: log.info });
  const { verdict } = result;
  if (verdict.kind === 'passed' || verdict.kind === 'blocked') {
    log.info(`Scan findings: ${formatCounts(verdict.counts)}`);
  }
  return result;
}

/**
 * Stops the step before anything is deployed when findings reach the threshold. A scan that gives no
 * verdict stops it too (`scan-unavailable: fail`, the default) or warns (`warn`).
 */
export function enforceScanGate(result: ScanGateResult, gate: ScanGateInputs, log: Logger): void {
  const { verdict, digest } = result;
  if (verdict.kind === 'blocked') {
    throw new UserError(
      `Image scan found ${verdict.blocking} finding(s) at or above ${gate.failOnSeverity} in ${digest} ` +
        `(${formatCounts(verdict.counts)}): not deploying (fail-on-severity: ${gate.failOnSeverity}).`,
    );
  }
  if (verdict.kind === 'unavailable') {
    const line = `Image scan of ${digest} gave no verdict (${verdict.reason})`;
    if (gate.unavailable === 'fail') throw new UserError(`${line}: not deploying (scan-unavailable: fail).`);
    log.warning(`${line}; deploying anyway (scan-unavailable: warn).`);
  }
}
