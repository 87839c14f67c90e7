import * as core from '@actions/core';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { registryHost } from './reference.js';

export interface RegistryLogin {
  /** host[:port], as used in image references and `docker login`. */
  registry: string;
  username: string;
  password: string;
  expiresAt: Date | undefined;
}

/**
 * Credentials for `docker login` to the account's ECR registry. Both the base64 token and the decoded
 * password are masked before this function returns or logs anything, so no later line can leak them.
 */
export async function getEcrLogin(ecr: ECRClient): Promise<RegistryLogin> {
  const response = await ecr.send(new GetAuthorizationTokenCommand({}));
  const data = response.authorizationData?.[0];
  const token = data?.authorizationToken;
  if (token) core.setSecret(token);
  if (!data || !token || !data.proxyEndpoint) {
    throw new Error('ECR GetAuthorizationToken returned no authorization data.');
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  if (password !== '') core.setSecret(password);
  if (colon <= 0 || password === '') {
    throw new Error('ECR GetAuthorizationToken returned a token that is not "user:password" in base64.');
  }
  return {
    registry: registryHost(data.proxyEndpoint),
    username: decoded.slice(0, colon),
    password,
    expiresAt: data.expiresAt,
  };
}
