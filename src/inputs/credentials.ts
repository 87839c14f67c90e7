import { inputError, UserError } from '../errors.js';
import { parseNumber, type InputReader } from './parse.js';

/** How the step gets its AWS credentials when `role-to-assume` is set. */
type RoleSource =
  /** The runner's OIDC variables: GitHub ID token → AssumeRoleWithWebIdentity. */
  | { kind: 'web-identity'; requestUrl: string; requestToken: string; audience: string }
  /** Credentials already in the environment (an earlier step, a runner role) → AssumeRole. */
  | { kind: 'assume-role'; externalId: string | undefined };

export interface RoleInputs {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  source: RoleSource;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
// STS's RoleSessionName: 2 to 64 of these characters.
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** `ecs-ship-<repository name>-<run id>`, squeezed into STS's alphabet and 64 characters, run id kept whole. */
export function defaultSessionName(env: NodeJS.ProcessEnv): string {
  const repo = (env.GITHUB_REPOSITORY ?? '').split('/').at(-1) ?? '';
  const run = (env.GITHUB_RUN_ID ?? '').replace(/[^\w]/g, '');
  const tail = run ? `-${run}` : '';
  const name = `ecs-ship-${repo}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64 - tail.length);
  return `${name.replace(/-+$/, '')}${tail}`;
}

/** undefined when `role-to-assume` is empty: the SDK's own chain (env, profile, instance role) applies. */
export function readRoleInputs(read: InputReader, env: NodeJS.ProcessEnv): RoleInputs | undefined {
  const others = ['role-session-name', 'role-duration-seconds', 'role-external-id', 'audience'];
  const roleArn = read('role-to-assume').trim();
  if (roleArn === '') {
    const stray = others.find((name) => read(name).trim() !== '');
    if (stray && stray !== 'audience')
      throw new UserError(`Input '${stray}' is set, but 'role-to-assume' is empty: set the role to assume.`);
    return undefined;
  }
  if (!ROLE_ARN.test(roleArn))
    throw inputError('role-to-assume', roleArn, 'a role ARN such as arn:aws:iam::123456789012:role/deploy');
  const sessionName = read('role-session-name').trim() || defaultSessionName(env);
  if (!SESSION_NAME.test(sessionName))
    throw inputError('role-session-name', sessionName, '2 to 64 letters, digits or any of + = , . @ _ -');
  const durationSeconds = parseNumber('role-duration-seconds', read('role-duration-seconds'), 3600, {
    min: 900,
    max: 43200,
    unit: 'seconds',
    integer: true,
  });
  const externalId = read('role-external-id').trim() || undefined;
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId))
    throw inputError('role-external-id', '(hidden)', '2 to 1224 letters, digits or any of + = , . @ : / _ -');
  const audience = read('audience').trim() || 'sts.amazonaws.com';

  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '';
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '';
  if (requestUrl !== '' && requestToken !== '')
    return {
      roleArn,
      sessionName,
      durationSeconds,
      source: { kind: 'web-identity', requestUrl, requestToken, audience },
    };
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
    return { roleArn, sessionName, durationSeconds, source: { kind: 'assume-role', externalId } };
  throw new UserError(
    `Input 'role-to-assume' needs a GitHub ID token, and this job has none (ACTIONS_ID_TOKEN_REQUEST_URL is not set): ` +
      `give the job \`permissions: id-token: write\` (a pull request from a fork never gets one), or credentials in the environment to call AssumeRole with.`,
  );
}
