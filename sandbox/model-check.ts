import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** One answer the sandbox gave: the wire body of a success, or the code of an error its handlers raised. */
export type AnswerRecord =
  | { service: string; operation: string; ok: true; body: unknown }
  | { service: string; operation: string; ok: false; code: string };

/**
 * The sandbox's answers checked against botocore's published AWS models (model-check.py): unknown keys,
 * types, enum values, required members, undeclared errors. Resolves to the findings, one line each.
 */
export function checkAgainstModels(answers: AnswerRecord[]): Promise<string[]> {
  if (answers.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [join(import.meta.dirname, 'model-check.py')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`model-check.py exited ${code}: ${stderr.trim()}`));
      else resolve(stdout.split('\n').filter((l) => l !== ''));
    });
    // A checker that cannot start (no botocore) exits before reading: its exit code and stderr tell why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(answers.map((a) => JSON.stringify(a)).join('\n'));
  });
}

/**
 * Closes a sandbox a test started itself (startAwsSandbox, not startEnvironment) and checks what it answered,
 * as startEnvironment's stop() does: so every sandbox answer of a full test run is held to the models.
 */
export async function closeAndCheck(
  sandbox: { close(): Promise<void>; answers: AnswerRecord[] } | undefined,
): Promise<void> {
  if (!sandbox) return;
  await sandbox.close();
  await assertWithinModels(sandbox.answers);
}

/** Throws with every finding when the sandbox answered outside the AWS models. */
export async function assertWithinModels(answers: AnswerRecord[]): Promise<void> {
  const findings = await checkAgainstModels(answers);
  if (findings.length > 0) {
    throw new Error(`The AWS sandbox answered outside the AWS models:\n${findings.join('\n')}`);
  }
}
