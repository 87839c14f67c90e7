import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileCommands } from '../../../sandbox/runner.js';
import { RunReport } from '../../../src/report/run-report.js';
import { renderJobSummary } from '../../../src/report/summary.js';
import { UserError } from '../../../src/errors.js';
import { context, deployed, pushed, registered, rendered, rollout, scan, serviceOutcome } from './results.js';

// The files the runner hands the step, read back as a later step would.
const dir = mkdtempSync(join(tmpdir(), 'run-report-'));
const outputFile = join(dir, 'output');
const summaryFile = join(dir, 'summary');
const outputs = () => parseFileCommands(readFileSync(outputFile, 'utf8'));
const summary = () => readFileSync(summaryFile, 'utf8');

describe('RunReport when the job summary cannot be written', () => {
  // First in this file: @actions/core keeps the summary file it first wrote to.
  it('still sets the outputs, and the error that ended the step is not replaced', async () => {
    process.env.GITHUB_OUTPUT = outputFile;
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'no such directory', 'summary');
    writeFileSync(outputFile, '');
    const report = new RunReport(context);
    report.record('image', pushed);
    report.record('scan', scan('passed'));
    await expect(report.finishFailed(new UserError('Registration failed'))).resolves.toBeUndefined();
    expect(outputs()).toEqual({ 'image-uri': pushed.imageUri, 'image-digest': pushed.digest });
    // Without an error to report, a summary that cannot be written fails the step, as it always did.
    await expect(report.finish()).rejects.toThrow(/summary file/);
  });
});

describe('RunReport', () => {
  beforeEach(() => {
    process.env.GITHUB_OUTPUT = outputFile;
    process.env.GITHUB_STEP_SUMMARY = summaryFile;
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, 'an earlier step\n');
  });

  it('sets each stage outputs as soon as it is recorded, and returns the result', () => {
    const report = new RunReport(context);
    expect(report.record('image', pushed)).toBe(pushed);
    expect(outputs()).toEqual({ 'image-uri': pushed.imageUri, 'image-digest': pushed.digest });
    report.record('render', rendered());
    expect(outputs()['task-definition']).toBe('/runner/temp/task-definition.json');
    expect(summary()).toBe('an earlier step\n');
  });

  it('writes the summary once, at the end, with every section known', async () => {
    const report = new RunReport(context);
    const known = {
      image: pushed,
      scan: scan('passed'),
      render: rendered(),
      register: registered,
      deploy: deployed([serviceOutcome('web', rollout())]),
    };
    report.record('image', known.image);
    report.record('scan', known.scan);
    report.record('render', known.render);
    report.record('register', known.register);
    report.record('deploy', known.deploy);
    expect(summary()).toBe('an earlier step\n');
    await report.finish();
    expect(summary()).toBe(`an earlier step\n${renderJobSummary(known, context)}`);
    expect(outputs()['rollout-state']).toBe('SUCCESSFUL');
  });

  it('writes what is known and the failure line when a stage threw', async () => {
    const report = new RunReport(context);
    report.record('image', pushed);
    report.record('scan', scan('blocked'));
    await report.finishFailed(new UserError('Image scan found 3 finding(s): not deploying.'));
    const md = summary();
    expect(md).toContain('### ❌ Image scan: 3 finding(s) at or above HIGH, not deployed');
    expect(md.endsWith('\n**❌ Step failed:** Image scan found 3 finding(s): not deploying.\n')).toBe(true);
  });

  it('names an error that is not the user’s by its kind, as the error annotation does', async () => {
    const report = new RunReport(context);
    await report.finishFailed(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    expect(summary()).toBe('an earlier step\n\n**❌ Step failed:** ThrottlingException: Rate exceeded\n');
  });
});
