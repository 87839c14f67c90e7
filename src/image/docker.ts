import { UserError } from '../errors.js';
import { saveState } from '../report/state.js';
import { docker, lastError } from './docker-cli.js';
import type { RegistryLogin } from './ecr/login.js';
import { parseDigestFromPushOutput } from './reference.js';
import { untrustedByDocker } from './untrusted.js';

/** `docker login` with the password on stdin only: argv is visible to every process on the runner. */
export async function dockerLogin(login: RegistryLogin): Promise<void> {
  const out = await docker(['login', '--username', login.username, '--password-stdin', login.registry], {
    input: Buffer.from(login.password, 'utf8'),
  });
  if (out.exitCode !== 0) {
    throw (
      untrustedByDocker(login.registry, out.stderr) ??
      new UserError(`docker login to ${login.registry} failed: ${lastError(out, [login.password])}`)
    );
  }
  // The post step logs out even when a later stage fails, so the credential does not outlive the job.
  saveState('registry', login.registry);
}

/** True when the local engine has the image; a daemon that cannot be reached is an error, not "no". */
export async function imageExists(image: string): Promise<boolean> {
  const out = await docker(['image', 'inspect', '--format', '{{.Id}}', image]);
  if (out.exitCode === 0) return true;
  if (/no such (image|object)/i.test(out.stderr)) return false;
  throw new UserError(`Cannot ask Docker about image '${image}': ${lastError(out)}`);
}

async function repoDigests(ref: string): Promise<string[]> {
  const out = await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref]);
  if (out.exitCode !== 0) throw new Error(`docker image inspect ${ref} failed: ${lastError(out)}`);
  const parsed: unknown = JSON.parse(out.stdout.trim() || 'null');
  return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string') : [];
}

/**
 * Tags the local image as registry/repository:tag for each tag and pushes each. The digest comes from
 * docker's own push output and must match what the engine recorded in RepoDigests: deploying by digest
 * is only safe if the digest is the one the registry stored, never one computed or guessed here.
 */
export async function pushImage(args: {
  image: string;
  registry: string;
  repository: string;
  tags: string[];
  log: (line: string) => void;
}): Promise<{ digest: string; imageUri: string }> {
  const { image, registry, repository, tags, log } = args;
  if (tags.length === 0) throw new Error('pushImage needs at least one tag.');
  const target = `${registry}/${repository}`;
  const digests = new Map<string, string>();

  for (const tag of tags) {
    const ref = `${target}:${tag}`;
    const tagged = await docker(['tag', image, ref]);
    if (tagged.exitCode !== 0) throw new UserError(`docker tag ${image} ${ref} failed: ${lastError(tagged)}`);

    log(`Pushing ${ref}`);
    const pushed = await docker(['push', ref], { stdline: log });
    if (pushed.exitCode !== 0) {
      throw (
        untrustedByDocker(registry, pushed.stderr) ??
        new UserError(`docker push ${ref} failed: ${lastError(pushed)}`)
      );
    }
    const digest = parseDigestFromPushOutput(pushed.stdout);
    if (!digest) throw new Error(`docker push ${ref} succeeded but printed no digest line.`);

    const recorded = await repoDigests(ref);
    if (!recorded.includes(`${target}@${digest}`)) {
      throw new Error(
        `docker push ${ref} reported ${digest}, but the engine recorded ${recorded.join(', ') || 'no digest'} for it.`,
      );
    }
    digests.set(tag, digest);
  }

  const distinct = [...new Set(digests.values())];
  const [digest] = distinct;
  if (distinct.length !== 1 || digest === undefined) {
    const each = [...digests].map(([t, d]) => `${t}=${d}`).join(', ');
    throw new Error(
      `The tags of ${target} were pushed with different digests (${each}); refusing to deploy.`,
    );
  }
  return { digest, imageUri: `${target}@${digest}` };
}
