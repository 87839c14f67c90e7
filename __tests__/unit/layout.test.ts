import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

// The layout of src/, read from its import statements: a stage never reaches into another stage, so each
// can be read (and changed) on its own; plan.ts and pipeline.ts are the only places that join them.

const SRC = resolve(import.meta.dirname, '../../src');
/** The stage folders. Everything else is shared (aws/, poll, report/, errors.ts) or orchestrates them. */
const STAGES = ['image', 'taskdef', 'deploy', 'github'];
/** Edges know nothing of stages: they serve them all. */
const EDGES = ['aws', 'poll', 'errors.ts'];

interface Edge {
  from: string;
  to: string;
  /** `import type`: erased when compiled, so nothing is loaded for it (it still couples the modules). */
  typeOnly: boolean;
  dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const STATIC = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm;
const DYNAMIC = /\bimport\(\s*'([^']+)'\s*\)/g;

/** Every import in src/, relative ones resolved to `folder/file.ts`, packages kept as named. */
function importGraph(): Edge[] {
  return sourceFiles(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const from = relative(SRC, file);
    const target = (spec: string): string =>
      spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
    return [
      ...[...text.matchAll(STATIC)].map((m) => ({
        from,
        to: target(m[2] ?? ''),
        typeOnly: m[1] !== undefined,
        dynamic: false,
      })),
      ...[...text.matchAll(DYNAMIC)].map((m) => ({
        from,
        to: target(m[1] ?? ''),
        typeOnly: false,
        dynamic: true,
      })),
    ];
  });
}

/** `deploy/rollout/watch.ts` → `deploy`; `inputs.ts` belongs to inputs/. */
function folderOf(path: string): string {
  const top = path.split('/')[0] ?? '';
  return top === 'inputs.ts' ? 'inputs' : top === 'poll.ts' ? 'poll' : top;
}

/** The imports that break the layout, as `from → to`. Pure, so the rule itself is tested by a table. */
export function layoutViolations(edges: Array<Pick<Edge, 'from' | 'to'>>): string[] {
  return edges
    .filter(({ from, to }) => {
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a === b || !STAGES.includes(b)) return false;
      return STAGES.includes(a) || a === 'inputs' || EDGES.includes(a);
    })
    .map(({ from, to }) => `${from} → ${to}`);
}

/** What loading `entry` loads before any dynamic import runs: its static value imports, transitively. */
function staticClosure(edges: Edge[], entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const e of edges) {
      if (e.from !== next || e.typeOnly || e.dynamic || seen.has(e.to)) continue;
      seen.add(e.to);
      if (e.to.endsWith('.ts')) queue.push(e.to);
    }
  }
  return seen;
}

const graph = importGraph();

describe('the layout rule', () => {
  it.each<[string, string, boolean]>([
    ['deploy/stage.ts', 'deploy/rollout/watch.ts', true],
    ['deploy/run-task.ts', 'taskdef/containers.ts', false],
    ['taskdef/stage.ts', 'image/ecr/plan.ts', false],
    ['image/ecr/plan.ts', 'aws/clients.ts', true],
    ['deploy/rollout/watch.ts', 'report/summary.ts', true],
    ['inputs/image.ts', 'image/oci/sources.ts', false],
    ['inputs.ts', 'taskdef/shell.ts', false],
    ['inputs/image.ts', 'inputs/image-source.ts', true],
    ['aws/errors.ts', 'deploy/rollout/judge.ts', false],
    ['poll/poller.ts', 'deploy/stage.ts', false],
    ['errors.ts', 'image/docker.ts', false],
    ['plan.ts', 'taskdef/stage.ts', true],
    ['pipeline.ts', 'deploy/stage.ts', true],
    ['report/summary.ts', 'deploy/stage.ts', true],
    ['github/stage.ts', 'deploy/stage.ts', false],
  ])('%s may import %s: %s', (from, to, allowed) => {
    expect(layoutViolations([{ from, to }])).toEqual(allowed ? [] : [`${from} → ${to}`]);
  });
});

describe('src/', () => {
  it('reads its own imports (the graph is not empty by a broken pattern)', () => {
    expect(graph).toContainEqual({
      from: 'plan.ts',
      to: 'taskdef/stage.ts',
      typeOnly: false,
      dynamic: false,
    });
    expect(graph).toContainEqual({ from: 'main.ts', to: 'pipeline.ts', typeOnly: false, dynamic: true });
    expect(graph).toContainEqual({ from: 'plan.ts', to: 'inputs.ts', typeOnly: true, dynamic: false });
  });

  it('no stage imports another stage; inputs/ and the edges import no stage', () => {
    expect(layoutViolations(graph)).toEqual([]);
  });

  it('a failed start-up (bad input) loads neither the AWS SDK nor @actions/core', () => {
    const loaded = [...staticClosure(graph, 'main.ts')];
    expect(loaded.filter((m) => /^@(aws-sdk|smithy|actions)\//.test(m))).toEqual([]);
  });

  it('a plain deploy never loads the CodeDeploy, ECR Public or IAM SDK up front', () => {
    const loaded = [...staticClosure(graph, 'pipeline.ts')];
    expect(loaded).toContain('@aws-sdk/client-ecs');
    expect(loaded.filter((m) => /^@aws-sdk\/client-(codedeploy|ecr-public|iam)$/.test(m))).toEqual([]);
  });

  it('a deploy without `environment` or `preview` never loads @actions/github', () => {
    const loaded = [...staticClosure(graph, 'pipeline.ts')];
    expect(loaded.filter((m) => m.startsWith('@actions/github') || m.startsWith('github'))).toEqual([]);
    expect(graph).toContainEqual({
      from: 'pipeline.ts',
      to: 'github-run.ts',
      typeOnly: false,
      dynamic: true,
    });
    expect(graph).toContainEqual({
      from: 'github/client.ts',
      to: '@actions/github',
      typeOnly: false,
      dynamic: true,
    });
  });
});
