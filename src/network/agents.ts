// Proxy-aware agents for every HTTP(S) call the step makes (AWS SDK clients, the registry client, the
// ID-token request): HTTPS_PROXY / HTTP_PROXY / NO_PROXY in either case, per request, by proxy-from-env.
// Only NO_PROXY exempts a host: loopback is proxied like any other (unlike @actions/http-client), which is
// what a runner whose every connection must pass the proxy needs, and how the tests see it.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { Agent as ChoosingAgent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import { UserError } from '../errors.js';

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * AWS_CA_BUNDLE (the AWS CLI's variable; the JS SDK does not read it) with Node's roots and
 * NODE_EXTRA_CA_CERTS, which an explicit `ca` would otherwise drop. undefined: Node's own store applies.
 */
function caBundle(env: NodeJS.ProcessEnv): string[] | undefined {
  const path = env.AWS_CA_BUNDLE;
  if (!path) return undefined;
  const read = (file: string, name: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new UserError(`${name} is '${file}', which cannot be read: ${(err as Error).message}`);
    }
  };
  const extra = env.NODE_EXTRA_CA_CERTS ? [read(env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS')] : [];
  return [...rootCertificates, ...extra, read(path, 'AWS_CA_BUNDLE')];
}

/** Picks, per request, a direct connection or the proxy the environment names for that URL. */
class EnvProxyAgent extends ChoosingAgent {
  private readonly viaProxy = new Map<string, http.Agent>();

  constructor(
    private readonly direct: http.Agent,
    private readonly tls: { ca?: string[] },
  ) {
    super({ keepAlive: true });
  }

  override connect(req: http.ClientRequest, opts: AgentConnectOpts): http.Agent {
    const scheme = opts.secureEndpoint ? 'https' : 'http';
    const proxy = getProxyForUrl(`${scheme}://${req.host}:${opts.port}${req.path}`);
    if (!proxy) return this.direct;
    const key = `${scheme} ${proxy}`;
    let agent = this.viaProxy.get(key);
    if (!agent) {
      agent = opts.secureEndpoint
        ? new HttpsProxyAgent(proxy, { keepAlive: true, ...this.tls })
        : // No keep-alive to the proxy for plain HTTP: tinyproxy (and other HTTP/1.0-minded proxies) close
          // the client connection after each request, and a reused socket then hangs up mid-upload.
          new HttpProxyAgent(proxy);
      this.viaProxy.set(key, agent);
    }
    return agent;
  }
}

export function proxyAgents(env: NodeJS.ProcessEnv): Agents {
  const ca = caBundle(env);
  const tls = ca ? { ca } : {};
  return {
    http: new EnvProxyAgent(new http.Agent({ keepAlive: true, maxSockets: 16 }), tls),
    https: new EnvProxyAgent(
      new https.Agent({ keepAlive: true, maxSockets: 16, ...tls }),
      tls,
    ) as unknown as https.Agent,
  };
}
