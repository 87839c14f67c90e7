// The README is what a new user copies: its examples are checked as GitHub would read them, and its
// inputs and outputs tables against action.yml (scripts/readme-tables.ts writes them).
import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { ROOT } from '../../sandbox/runner.js';
import { policiesInReadme, readPolicyFiles } from '../../scripts/readme-policies.js';
import { readActionMetadata, renderToc, tableRows, tablesInReadme } from '../../scripts/readme-tables.js';
import { workflowProblems } from '../../scripts/lint-workflows.js';
import { readInputs } from '../../src/inputs.js';

const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
const action = await readActionMetadata(ROOT);
const files = await readPolicyFiles(ROOT);
const yamlBlocks = [...readme.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? '');

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: unknown;
  needs?: string | string[];
  outputs?: Record<string, string>;
  permissions?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on?: unknown;
  permissions?: Record<string, string>;
  jobs?: Record<string, Job>;
}

const workflowBlocks = yamlBlocks.filter((b) => (parse(b) as Workflow | null)?.jobs !== undefined);
const workflows = workflowBlocks.map((b) => parse(b) as Workflow);
const isEcsShip = (step: Step) => /^(ecs-ship\/ecs-ship@|\.\/?$)/.test(step.uses ?? '');
const ecsShipSteps = workflows.flatMap((w) =>
  Object.entries(w.jobs ?? {}).flatMap(([job, j]) =>
    (j.steps ?? []).filter(isEcsShip).map((step) => ({
      job,
      step,
      steps: j.steps ?? [],
      // The runner sets the ID-token variables only for a job granted `id-token: write`.
      idToken: (j.permissions ?? w.permissions)?.['id-token'] === 'write',
    })),
  ),
);

// What `${{ … }}` stands for when an example's inputs go through the real parser. An expression not
// listed here fails the test: add what it evaluates to on a runner.
const DIGEST = `sha256:${'4f53cda18c2baa0c'.repeat(4)}`;
const EXPRESSIONS: [RegExp, string][] = [
  [/^github\.sha$/, '0d1f2e3c4b5a69788796a5b4c3d2e1f00f1e2d3c'],
  [/^github\.actor$/, 'octocat'],
  [/^secrets\.[A-Z_]+$/, 'secret-value'],
  [
    /^(steps|needs)\.[\w-]+\.outputs\.image-uri$/,
    `123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app@${DIGEST}`,
  ],
  [/^(steps|needs)\.[\w-]+\.outputs\.image-digest$/, DIGEST],
];

function evaluate(value: string): string {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_all, expr: string) => {
    const found = EXPRESSIONS.find(([pattern]) => pattern.test(expr));
    if (!found) throw new Error(`README example uses \${{ ${expr} }}, which this test cannot stand in for`);
    return found[1];
  });
}

describe('README examples', () => {
  it('has YAML examples, and every one parses', () => {
    expect(yamlBlocks.length).toBeGreaterThan(3);
    for (const block of yamlBlocks) {
      const doc = parseDocument(block);
      expect({ block, errors: doc.errors.map((e) => e.message) }).toEqual({ block, errors: [] });
    }
  });

  it('shows whole workflows GitHub accepts: on, jobs, runs-on, permissions', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(4);
    for (const [i, w] of workflows.entries()) {
      const problems = workflowProblems(workflowBlocks[i] ?? '');
      expect({ workflow: i, problems }).toEqual({ workflow: i, problems: [] });
      expect(w.on).toBeDefined();
      for (const [name, job] of Object.entries(w.jobs ?? {})) {
        expect({ name, runsOn: job['runs-on'] !== undefined }).toEqual({ name, runsOn: true });
        // Least privilege is written out, never left to the repository's default token permissions.
        const permissions = job.permissions ?? w.permissions;
        expect({ name, permissions: permissions !== undefined }).toEqual({ name, permissions: true });
        const assumes = (job.steps ?? []).some((s) => s.with?.['role-to-assume'] !== undefined);
        if (assumes) expect({ name, idToken: permissions?.['id-token'] }).toEqual({ name, idToken: 'write' });
      }
    }
  });

  it('gives ecs-ship only inputs action.yml declares, with the required ones', () => {
    expect(ecsShipSteps.length).toBeGreaterThanOrEqual(4);
    const required = Object.entries(action.inputs).filter(([, spec]) => spec.required === true);
    for (const { job, step } of ecsShipSteps) {
      const keys = Object.keys(step.with ?? {});
      expect({ job, unknown: keys.filter((k) => !(k in action.inputs)) }).toEqual({ job, unknown: [] });
      expect({ job, missing: required.map(([n]) => n).filter((n) => !keys.includes(n)) }).toEqual({
        job,
        missing: [],
      });
    }
  });

  it("passes ecs-ship's own input checks, as the step would read them on a runner", () => {
    for (const { job, step, steps, idToken } of ecsShipSteps) {
      const values = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(String(v))]),
      );
      // configure-aws-credentials exports AWS_REGION for the steps after it.
      const credentials = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      const region = credentials?.with?.['aws-region'];
      const env = {
        GITHUB_SHA: evaluate('${{ github.sha }}'),
        ...(region ? { AWS_REGION: String(region) } : {}),
        ...(idToken
          ? {
              ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/idtoken?api-version=2.0',
              ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
            }
          : {}),
      };
      let error = '';
      try {
        readInputs((name) => values[name] ?? action.inputs[name]?.default ?? '', env);
      } catch (err) {
        error = (err as Error).message;
      }
      expect({ job, uses: step.uses, error }).toEqual({ job, uses: step.uses, error: '' });
    }
  });

  it('reads outputs that exist: steps.ID.outputs.NAME of an ecs-ship step, needs.JOB.outputs.NAME of a job it needs', () => {
    for (const w of workflows) {
      for (const [name, job] of Object.entries(w.jobs ?? {})) {
        const text = JSON.stringify(job);
        const needs = [job.needs ?? []].flat();
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const step = (job.steps ?? []).find((s) => s.id === id);
          expect({ name, id, found: step !== undefined }).toEqual({ name, id, found: true });
          if (step && isEcsShip(step))
            expect({ output, declared: output! in action.outputs }).toEqual({ output, declared: true });
        }
        for (const [, from, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          expect({ name, needs: needs.includes(from!) }).toEqual({ name, needs: true });
          const outputs = w.jobs?.[from!]?.outputs ?? {};
          expect({ from, output, declared: output! in outputs }).toEqual({ from, output, declared: true });
        }
      }
    }
  });

  it('covers the ways people use it: deploy on push with OIDC, promotion across jobs, several services, an offline check', () => {
    const pushToMain = workflows.some((w) => {
      const on = w.on as { push?: { branches?: string[] } } | undefined;
      const jobs = Object.values(w.jobs ?? {});
      return (
        on?.push?.branches?.includes('main') && w.permissions?.['id-token'] === 'write' && jobs.length === 1
      );
    });
    const promotion = workflows.some((w) =>
      Object.values(w.jobs ?? {}).some(
        (j) =>
          [j.needs ?? []].flat().length > 0 &&
          (j.steps ?? []).some((s) => isEcsShip(s) && /needs\..*image-uri/.test(String(s.with?.image))),
      ),
    );
    const services = ecsShipSteps.some(
      ({ step }) =>
        String(step.with?.service ?? '')
          .trim()
          .split(/\s+/).length > 1,
    );
    const offline = ecsShipSteps.some(
      ({ step }) => step.with?.['dry-run'] === true && step.with?.service === undefined,
    );
    expect({ pushToMain, promotion, services, offline }).toEqual({
      offline: true,
      pushToMain: true,
      promotion: true,
      services: true,
    });
  });

  it('names one tag of ecs-ship everywhere: the major tag the release workflow moves, of a version CHANGELOG.md has', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const changelog = await readFile(join(ROOT, 'CHANGELOG.md'), 'utf8');
    const refs = new Set(ecsShipSteps.map(({ step }) => step.uses));
    expect([...refs]).toEqual([`ecs-ship/ecs-ship@v${pkg.version.split('.')[0]}`]);
    expect(changelog).toContain(`\n## [${pkg.version}] - `);
    expect(readme).toContain('[CHANGELOG.md](CHANGELOG.md)');
    expect(readme).toContain('[SECURITY.md](SECURITY.md)');
  });
});

describe('README tables', () => {
  const tables = tablesInReadme(readme);

  it('has the full inputs and outputs tables', () => {
    expect(tables.filter((t) => t.names.length === 0).map((t) => t.kind)).toEqual(['inputs', 'outputs']);
  });

  it.each(tables.map((t) => ({ table: `${t.kind} ${t.names.join(' ') || '(all)'}`, t })))(
    'table:$table equals what action.yml says (npm run readme rewrites it)',
    ({ t }) => {
      const expected = tableRows(action, t.kind as 'inputs' | 'outputs', t.names);
      expect(t.rows).toEqual(expected.map((row) => row.map((c) => c.trim())));
    },
  );
});

describe('README table of contents', () => {
  it('lists every section, linked to its anchor (npm run readme rewrites it)', () => {
    expect(readme).toMatch(/^<!-- toc -->$/m);
    expect(renderToc(readme)).toBe(readme);
    const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    const listed = [...readme.matchAll(/^- \[(.+)\]\(#[^)]+\)$/gm)].map((m) => m[1]);
    expect(listed).toEqual(expect.arrayContaining(sections));
  });

  it('makes the anchors GitHub makes', () => {
    const toc = renderToc(
      '<!-- toc -->\n<!-- /toc -->\n\n## A `b`: c, d\n\n```\n## not a heading\n```\n## A `b`: c, d\n',
    );
    expect(toc).toContain('- [A `b`: c, d](#a-b-c-d)\n- [A `b`: c, d](#a-b-c-d-1)\n');
    expect(toc.split('<!-- /toc -->')[0]).not.toContain('not a heading');
  });
});

describe('README IAM policies', () => {
  const shown = policiesInReadme(readme);

  it('shows every policy file of docs/iam once', () => {
    expect(shown.map((p) => p.name).sort()).toEqual([...files.keys()].sort());
  });

  it.each(shown.map((p) => ({ name: p.name, p })))(
    'policy:$name shows its file in docs/iam as it is (npm run readme rewrites it)',
    ({ p }) => {
      expect(p.shown).toEqual(files.get(p.name));
    },
  );

  it('uses only the placeholders the README says to replace', () => {
    const said = /<!-- placeholders: ([A-Z_ ]+) -->/.exec(readme)?.[1]?.split(' ') ?? [];
    const used = new Set(
      [...files.values()].flatMap((f) =>
        [...JSON.stringify(f).matchAll(/\b[A-Z][A-Z_]{2,}\b/g)].map((m) => m[0]),
      ),
    );
    expect([...used].sort()).toEqual([...said].sort());
  });
});
