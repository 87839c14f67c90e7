import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  DescribeImageScanFindingsCommand,
  ECRClient,
  ScanNotFoundException,
  StartImageScanCommand,
  type DescribeImageScanFindingsCommandOutput,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import {
  blockingCount,
  enforceScanGate,
  formatCounts,
  judgeScan,
  scanGateStage,
  waitForScan,
} from '../../../../src/image/ecr/scan.js';
import type { RepositoryPlan } from '../../../../src/image/ecr/repository.js';
import type { ScanGateInputs } from '../../../../src/inputs/registry.js';
import { fakeClock } from '../../poll/fake-clock.js';
import { renderScanSection } from '../../../../src/report/scan-section.js';
import { recordingLog } from '../../report/recording-log.js';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'eu-west-1' });
const DIGEST = `sha256:${'b'.repeat(64)}`;
const repo: RepositoryPlan = {
  name: 'app',
  registryId: '210987654321',
  uri: 'h/app',
  create: undefined,
  immutable: false,
};
const gate: ScanGateInputs = { failOnSeverity: 'HIGH', timeoutSeconds: 60, unavailable: 'fail' };

const answer = (
  status: string,
  counts?: Record<string, number>,
  description?: string,
): DescribeImageScanFindingsCommandOutput => ({
  $metadata: {},
  imageScanStatus: { status: status as never, ...(description ? { description } : {}) },
  ...(counts ? { imageScanFindings: { findingSeverityCounts: counts as never } } : {}),
});
const notFound = () => new ScanNotFoundException({ message: 'no scan', $metadata: {} });

beforeEach(() => {
  ecrMock.reset();
});

describe('judgeScan', () => {
  it.each([
    [{ found: false }, 'wait'],
    [{ found: true, status: 'PENDING', description: undefined, counts: {} }, 'wait'],
    [{ found: true, status: 'IN_PROGRESS', description: undefined, counts: {} }, 'wait'],
    [{ found: true, status: 'COMPLETE', description: undefined, counts: { MEDIUM: 4 } }, 'passed'],
    [{ found: true, status: 'COMPLETE', description: undefined, counts: { HIGH: 1 } }, 'blocked'],
    [{ found: true, status: 'ACTIVE', description: undefined, counts: { CRITICAL: 1 } }, 'blocked'],
    [{ found: true, status: 'ACTIVE', description: undefined, counts: { UNTRIAGED: 9 } }, 'passed'],
    [{ found: true, status: 'FAILED', description: 'boom', counts: {} }, 'unavailable'],
    [{ found: true, status: 'UNSUPPORTED_IMAGE', description: undefined, counts: {} }, 'unavailable'],
    [{ found: true, status: 'FINDINGS_UNAVAILABLE', description: undefined, counts: {} }, 'unavailable'],
    [{ found: true, status: 'SCAN_ELIGIBILITY_EXPIRED', description: undefined, counts: {} }, 'unavailable'],
    [{ found: true, status: 'SOMETHING_NEW', description: undefined, counts: {} }, 'unavailable'],
  ] as const)('%j → %s at HIGH', (snapshot, kind) => {
    expect(judgeScan(snapshot, 'HIGH').kind).toBe(kind);
  });

  it('says why a scan gave no verdict', () => {
    expect(judgeScan({ found: true, status: 'FAILED', description: 'boom', counts: {} }, 'LOW')).toEqual({
      kind: 'unavailable',
      status: 'FAILED',
      reason: 'FAILED: boom',
    });
  });
});

describe('blockingCount and formatCounts', () => {
  const counts = { CRITICAL: 1, HIGH: 2, MEDIUM: 3, LOW: 4, INFORMATIONAL: 5, UNDEFINED: 6 };
  it.each([
    ['CRITICAL', 1],
    ['HIGH', 3],
    ['MEDIUM', 6],
    ['LOW', 10],
    ['INFORMATIONAL', 15],
  ] as const)('at or above %s: %i', (threshold, n) => {
    expect(blockingCount(counts, threshold)).toBe(n);
  });
  it('lists most severe first, unranked last, and says when there are none', () => {
    expect(formatCounts({ LOW: 2, UNDEFINED: 1, CRITICAL: 1 })).toBe('CRITICAL 1, LOW 2, UNDEFINED 1');
    expect(formatCounts({ HIGH: 0 })).toBe('no findings');
  });
});

describe('waitForScan', () => {
  it('waits through PENDING and IN_PROGRESS, then judges the counts', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(answer('PENDING'))
      .resolvesOnce(answer('IN_PROGRESS'))
      .resolves(answer('COMPLETE', { HIGH: 2, LOW: 1 }));
    const clock = fakeClock();
    const result = await waitForScan(ecr, repo, DIGEST, gate, { pollMs: 5000, log: () => undefined, clock });
    expect(result.verdict).toEqual({ kind: 'blocked', counts: { HIGH: 2, LOW: 1 }, blocking: 2 });
    expect(clock.slept).toEqual([5000, 5000]);
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)[0]?.args[0].input).toMatchObject({
      registryId: '210987654321',
      repositoryName: 'app',
      imageId: { imageDigest: DIGEST },
    });
  });

  it('does not wait forever: a scan still in progress at the timeout gives no verdict', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(answer('IN_PROGRESS'));
    const clock = fakeClock();
    const result = await waitForScan(
      ecr,
      repo,
      DIGEST,
      { ...gate, timeoutSeconds: 20 },
      { pollMs: 5000, log: () => undefined, clock },
    );
    expect(result.verdict).toEqual({
      kind: 'unavailable',
      status: 'IN_PROGRESS',
      reason: 'still IN_PROGRESS after 20 s (scan-timeout-seconds)',
    });
    expect(clock.now()).toBeLessThanOrEqual(20_000);
  });

  it('while a scan stays IN_PROGRESS, prints the status once and then a heartbeat every 30 s, not a line per poll', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(answer('IN_PROGRESS'));
    const lines: string[] = [];
    const clock = fakeClock();
    await waitForScan(
      ecr,
      repo,
      DIGEST,
      { ...gate, timeoutSeconds: 100 },
      { pollMs: 5000, log: (line) => lines.push(line.replace(/^\[\s*\d+s\] /, '')), clock },
    );
    expect(lines).toEqual([
      'Scan IN_PROGRESS',
      `still waiting for the scan of ${DIGEST}: IN_PROGRESS; 30s of 1m 40s`,
      `still waiting for the scan of ${DIGEST}: IN_PROGRESS; 1m of 1m 40s`,
      `still waiting for the scan of ${DIGEST}: IN_PROGRESS; 1m 30s of 1m 40s`,
    ]);
  });

  it('starts a basic scan once when the image has none', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(notFound())
      .rejectsOnce(notFound())
      .resolves(answer('COMPLETE', {}))
      .on(StartImageScanCommand)
      .resolves({});
    const lines: string[] = [];
    const result = await waitForScan(ecr, repo, DIGEST, gate, {
      pollMs: 1000,
      log: (l) => lines.push(l),
      clock: fakeClock(),
    });
    expect(result.verdict.kind).toBe('passed');
    expect(ecrMock.commandCalls(StartImageScanCommand)).toHaveLength(1);
    expect(lines).toContain(`No scan of ${DIGEST} yet: started one`);
  });

  it('a refused StartImageScan is the reason there is no verdict', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .rejects(notFound())
      .on(StartImageScanCommand)
      .rejects(Object.assign(new Error('This feature is disabled'), { name: 'ValidationException' }));
    const result = await waitForScan(ecr, repo, DIGEST, gate, {
      pollMs: 1000,
      log: () => undefined,
      clock: fakeClock(),
    });
    expect(result.verdict).toEqual({
      kind: 'unavailable',
      status: 'NOT_FOUND',
      reason: 'no scan, and StartImageScan was refused: ValidationException: This feature is disabled',
    });
  });
});

describe('scanGateStage and enforceScanGate', () => {
  it('blocks with the counts in the error and the summary', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolves(answer('COMPLETE', { CRITICAL: 1, HIGH: 2, LOW: 3 }));
    const { log, lines } = recordingLog();
    const result = await scanGateStage(ecr, repo, DIGEST, gate, { pollMs: 1, log });
    expect(lines).toContain('Scan findings: CRITICAL 1, HIGH 2, LOW 3');
    expect(() => enforceScanGate(result, gate, log)).toThrow(
      `Image scan found 3 finding(s) at or above HIGH in ${DIGEST} (CRITICAL 1, HIGH 2, LOW 3): not deploying (fail-on-severity: HIGH).`,
    );
    const summary = renderScanSection(result);
    expect(summary).toContain('3 finding(s) at or above HIGH, not deployed');
    expect(summary).toContain('| CRITICAL | 1 |');
    expect(summary).toContain('| LOW | 3 |');
  });

  it('a scan without a verdict fails closed by default, and only warns with scan-unavailable: warn', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolves(answer('UNSUPPORTED_IMAGE', undefined, 'The operating system is not supported'));
    const { log, warnings } = recordingLog();
    const result = await scanGateStage(ecr, repo, DIGEST, gate, { pollMs: 1, log });
    expect(() => enforceScanGate(result, gate, log)).toThrow(
      `Image scan of ${DIGEST} gave no verdict (UNSUPPORTED_IMAGE: The operating system is not supported): not deploying (scan-unavailable: fail).`,
    );
    expect(warnings).toEqual([]);
    const warn = { ...gate, unavailable: 'warn' as const };
    const warned = await scanGateStage(ecr, repo, DIGEST, warn, { pollMs: 1, log });
    expect(warned.verdict.kind).toBe('unavailable');
    enforceScanGate(warned, warn, log);
    expect(warnings).toEqual([
      `Image scan of ${DIGEST} gave no verdict (UNSUPPORTED_IMAGE: The operating system is not supported); deploying anyway (scan-unavailable: warn).`,
    ]);
    expect(renderScanSection(warned)).toContain(
      // Markdown-escaped (ECR's text is not ours): it renders as UNSUPPORTED_IMAGE.
      'Status: UNSUPPORTED\\_IMAGE: The operating system is not supported',
    );
  });

  it('passes below the threshold', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(answer('COMPLETE', { MEDIUM: 5 }));
    const { log, lines, warnings } = recordingLog();
    const result = await scanGateStage(ecr, repo, DIGEST, gate, { pollMs: 1, log });
    expect(result.verdict.kind).toBe('passed');
    enforceScanGate(result, gate, log);
    expect(warnings).toEqual([]);
    expect(lines).toContain('Scan findings: MEDIUM 5');
    expect(renderScanSection(result)).toContain('Image scan: nothing at or above HIGH');
  });
});
