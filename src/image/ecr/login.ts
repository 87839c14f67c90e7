import type { ECRClient } from '@aws-sdk/client-ecr';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { mask } from '../../report/log.js';
import { registryHost } from '../reference.js';

export interface RegistryLogin {
  /** host[:port], as used in image references and `docker login`. */
  registry: string;
  username: string;
  password: string;
  expiresAt: Date | undefined;
}

/**
 * Decodes an ECR (or ECR Public) authorization token, base64 "AWS:<password>". The token and the decoded
 * password are masked before anything else happens to them, so no later line can leak them.
 */
export function decodeAuthorizationToken(
  token: string | undefined,
  service: string,
): { username: string; password: string } {
  if (token) mask(token);
  if (!token) throw new Error(`${service} GetAuthorizationToken returned no authorization data.`);
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  if (password !== '') mask(password);
  if (colon <= 0 || password === '') {
    throw new Error(
      `${service} GetAuthorizationToken returned a token that is not "user:password" in base64.`,
    );
  }
  return { username: decoded.slice(0, colon), password };
}

/** Credentials for `docker login` and registry pushes to the account's private ECR registry. */
export async function getEcrLogin(ecr: ECRClient): Promise<RegistryLogin> {
  const response = await ecr.send(new GetAuthorizationTokenCommand({}));
  const data = response.authorizationData?.[0];
  const credentials = decodeAuthorizationToken(data?.authorizationToken, 'ECR');
  if (!data?.proxyEndpoint) throw new Error('ECR GetAuthorizationToken returned no authorization data.');
  return { registry: registryHost(data.proxyEndpoint), ...credentials, expiresAt: data.expiresAt };
}
