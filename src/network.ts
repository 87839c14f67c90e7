// The step's network settings, decided once before the first call: with a proxy or AWS_CA_BUNDLE in the
// environment, every client (AWS SDK, registry, ID token) gets the agents of network/agents.ts, loaded only
// then; without, each keeps Node's and the SDK's defaults. NODE_EXTRA_CA_CERTS needs nothing here: Node
// reads it at start-up for every TLS connection.
import type { Agents } from './network/agents.js';

const VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'AWS_CA_BUNDLE'];

let agents: Agents | undefined;

function needsAgents(env: NodeJS.ProcessEnv): boolean {
  return VARIABLES.some((name) => Boolean(env[name] || env[name.toLowerCase()]));
}

export async function prepareNetwork(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (agents || !needsAgents(env)) return;
  const { proxyAgents } = await import('./network/agents.js');
  agents = proxyAgents(env);
}

/** The agents every client should use; undefined = defaults. */
export function networkAgents(): Agents | undefined {
  return agents;
}
