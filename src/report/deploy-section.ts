import { revisionName } from '../aws/arn.js';
import type { ContainerImage } from '../deploy/images.js';
import type { RunTaskResult } from '../deploy/run-task.js';
import type { DeployOutcome, ServiceOutcome } from '../deploy/stage.js';
import { code, escapeHtml, escapeMarkdown, formatDuration } from './markdown.js';

export interface DeployReport {
  image: string;
  imageUri: string;
  digest: string;
  tags: string[];
  taskDefinitionArn: string;
  revision: number;
  cluster: string;
  /** What the deploy stage did: one-off task, each service, revision cleanup. */
  outcome: DeployOutcome;
  /** When nothing was pushed: each updated container's image and digest (deploy/images.ts). */
  containers?: ContainerImage[];
}

const FAILED_AS: Record<string, string> = {
  ROLLED_BACK: 'was rolled back',
  TIMED_OUT: 'timed out',
  FAILED: 'failed',
};

/** Every service already ran the revision: no update was made (deploy/unchanged.ts). */
function nothingDeployed(outcome: DeployOutcome): boolean {
  return outcome.services.length > 0 && outcome.services.every((s) => s.unchanged);
}

function headline(report: DeployReport): string {
  const { outcome } = report;
  const names = outcome.services.map((s) => s.service).join(', ');
  const where = escapeMarkdown(`${names} (cluster ${report.cluster})`);
  if (outcome.state === 'NOT_STARTED') {
    return `## ❌ One-off task failed, no service updated in ${escapeMarkdown(`cluster ${report.cluster}`)}`;
  }
  if (nothingDeployed(outcome)) {
    return `## ✅ Nothing to deploy: ${where} already ${outcome.services.length > 1 ? 'run' : 'runs'} ${code(revisionLabel(report))}`;
  }
  if (outcome.state === 'NOT_WAITED') return `## ✅ Updated ${where}, rollout not watched`;
  if (outcome.success) return `## ✅ Deployed to ${where}`;
  const failed = outcome.services.filter((s) => !s.success);
  const which = escapeMarkdown(`${failed.map((s) => s.service).join(', ')} (cluster ${report.cluster})`);
  return `## ❌ Rollout to ${which} ${FAILED_AS[outcome.state] ?? 'failed'}`;
}

function revisionLabel(report: DeployReport): string {
  const name = revisionName(report.taskDefinitionArn);
  return name.endsWith(`:${report.revision}`) ? name : `${name} (revision ${report.revision})`;
}

function runTaskCell(r: RunTaskResult): string {
  const codes = r.exits
    .filter((e) => e.essential)
    .map((e) => `${e.container} ${e.exitCode === undefined ? 'did not run' : `exit ${e.exitCode}`}`);
  return `${code(r.success ? 'SUCCEEDED' : 'FAILED')}${codes.length > 0 ? ` (${escapeMarkdown(codes.join(', '))})` : ''}`;
}

function longest(services: ServiceOutcome[]): number | undefined {
  const durations = services.flatMap((s) => (s.rollout ? [s.rollout.durationMs] : []));
  return durations.length > 0 ? Math.max(...durations) : undefined;
}

/** One value per container, named when there are several: `web`: `nginx:1.27`, `log`: `fluent-bit:3`. */
function perContainer(
  containers: ContainerImage[],
  value: (c: ContainerImage) => string | undefined,
): string {
  const known = containers.map((c) => [c.container, value(c)] as const);
  if (known.every(([, v]) => v === undefined)) return '—';
  if (known.length === 1) return code(known[0]?.[1] ?? '');
  return known.map(([name, v]) => `${code(name)}: ${v === undefined ? '—' : code(v)}`).join(', ');
}

/** The pushed image, else the image each updated container was given (a `name=IMAGE` line, a reused revision). */
function imageCells(report: DeployReport): [string, string] {
  const pushed = report.imageUri || report.image;
  if (pushed) return [code(pushed), report.digest ? code(report.digest) : '—'];
  const containers = report.containers ?? [];
  return [perContainer(containers, (c) => c.image), perContainer(containers, (c) => c.digest)];
}

function overview(report: DeployReport): Array<[string, string]> {
  const { outcome } = report;
  const names = outcome.services.map((s) => s.service);
  const duration = longest(outcome.services);
  const [image, digest] = imageCells(report);
  const rows: Array<[string, string]> = [
    ['Image', image],
    ['Tags', report.tags.length > 0 ? report.tags.map(code).join(', ') : '—'],
    ['Digest', digest],
    ['Task definition', code(revisionLabel(report))],
    ['Cluster', code(report.cluster)],
  ];
  if (names.length > 0) rows.push([names.length > 1 ? 'Services' : 'Service', names.map(code).join(', ')]);
  if (outcome.runTask) rows.push(['One-off task', runTaskCell(outcome.runTask)]);
  rows.push(['Rollout', nothingDeployed(outcome) ? 'none: nothing to deploy' : code(outcome.state)]);
  rows.push(['Duration', duration === undefined ? '—' : formatDuration(duration)]);
  if (outcome.cleanup) {
    const gone = outcome.cleanup.deregistered.map((a) => code(revisionName(a)));
    rows.push(['Deregistered', gone.length > 0 ? gone.join(', ') : 'none']);
  }
  return rows;
}

/** One row per service when there are several; with one, the overview already says it all. */
function perService(services: ServiceOutcome[]): string[] {
  if (services.length < 2) return [];
  return [
    '### Services',
    '',
    '| Service | Rollout | Deployment | Duration | Result |',
    '|---|---|---|---|---|',
    ...services.map(
      (s) =>
        `| ${code(s.service)} | ${s.success ? '✅' : '❌'} ${code(s.state)} | ${s.deploymentId ? code(s.deploymentId) : '—'} | ` +
        `${s.rollout ? formatDuration(s.rollout.durationMs) : '—'} | ${escapeMarkdown(s.reason)} |`,
    ),
    '',
  ];
}

/**
 * Every printed line of the one-off task and of each service's watcher, in time order; with several
 * services each line names its service, as the live log does.
 */
export function timeline(outcome: DeployOutcome): string[] {
  const several = outcome.services.length > 1;
  const lines = [
    ...(outcome.runTask?.timeline ?? []).map((t) => ({ at: t.at.getTime(), text: `[run-task] ${t.text}` })),
    ...outcome.services.flatMap((s) =>
      (s.rollout?.timeline ?? []).map((t) => ({
        at: t.at.getTime(),
        text: several ? `[${s.service}] ${t.text}` : t.text,
      })),
    ),
  ];
  // A stable sort keeps each source's own order for lines printed in the same millisecond.
  return lines.sort((a, b) => a.at - b.at).map((l) => l.text);
}

/** The deploy's section of the job summary. Pure, so every verdict's rendering is table-tested. */
export function renderDeploySection(report: DeployReport): string {
  const { outcome } = report;
  const parts = [
    headline(report),
    '',
    '| | |',
    '|---|---|',
    ...overview(report).map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ];
  // With one service its own reason reads best; otherwise the step's line (the table has each reason).
  const only = outcome.services.length === 1 ? outcome.services[0] : undefined;
  const reason = only && !only.success ? only.reason : outcome.failure;
  if (reason !== undefined) parts.push(`**Reason:** ${escapeMarkdown(reason)}`, '');
  parts.push(...perService(outcome.services));
  const lines = timeline(outcome);
  if (lines.length > 0) {
    parts.push(
      '<details>',
      `<summary>Rollout timeline (${lines.length} lines)</summary>`,
      '',
      '<pre>',
      ...lines.map(escapeHtml),
      '</pre>',
      '',
      '</details>',
      '',
    );
  }
  return parts.join('\n');
}
