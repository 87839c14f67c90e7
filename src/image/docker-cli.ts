import { getExecOutput } from '@actions/exec';
import type { ExecOutput } from '@actions/exec';

// The docker CLI without @actions/core: the post step loads only this, so it stays a few kB.

/** Silent so nothing docker prints reaches the log unfiltered; callers decide what to show. */
export async function docker(
  args: string[],
  extra: { input?: Buffer; stdline?: (line: string) => void } = {},
): Promise<ExecOutput> {
  return getExecOutput('docker', args, {
    // Same as inheriting in the action; explicit because jest gives each test file its own process.env,
    // which @actions/exec would otherwise bypass (DOCKER_HOST/DOCKER_CONFIG of the integration test).
    env: { ...process.env } as Record<string, string>,
    silent: true,
    ignoreReturnCode: true,
    ...(extra.input ? { input: extra.input } : {}),
    ...(extra.stdline ? { listeners: { stdline: extra.stdline } } : {}),
  });
}

/** The last thing docker said on stderr (its error), with any secret taken out. */
export function lastError(out: ExecOutput, secrets: string[] = []): string {
  const lines = out.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('WARNING'));
  let line = lines[lines.length - 1] ?? `exit code ${out.exitCode}`;
  for (const s of secrets) if (s !== '') line = line.split(s).join('***');
  return line;
}

export async function dockerLogout(registry: string): Promise<void> {
  const out = await docker(['logout', registry]);
  if (out.exitCode !== 0) throw new Error(`docker logout ${registry} failed: ${lastError(out)}`);
}
