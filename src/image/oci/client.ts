import type { Readable } from 'node:stream';
import { UserError } from '../../errors.js';
import type { Credentials } from '../../inputs/image.js';
import { Authenticator } from './auth.js';
import { discard, readAll, send, type Body, type HttpResponse } from './http.js';
import { ACCEPT_MANIFESTS, manifestBlob, type ManifestBlob } from './media.js';
import { HttpStatusError } from './retry.js';
import { untrustedByNode } from '../untrusted.js';

export interface RegistryEndpoint {
  /** host[:port] as in image references. */
  host: string;
  credentials?: Credentials | undefined;
  /** Whose credentials these are, for error lines ("the ECR login", "source-username/source-password"). */
  who: string;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;

/**
 * Where a registry is reached first: HTTPS, as ECR and every registry on the internet are. A loopback
 * registry may also be plain HTTP — Docker treats loopback as insecure by default and falls back to HTTP
 * when HTTPS fails; `plainFallback` says the client may do the same.
 */
export function registryBase(host: string): { base: URL; plainFallback: boolean } {
  return { base: new URL(`https://${host}`), plainFallback: LOOPBACK.test(host) };
}

/** HTTPS sent to a plain-HTTP listener: the answer is not a TLS record. */
function speaksPlainHttp(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    e?.code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
    (e?.code === 'EPROTO' && /wrong version number|packet length too long/i.test(e.message ?? ''))
  );
}

const pullScope = (repo: string): string => `repository:${repo}:pull`;
const pushScope = (repo: string): string => `repository:${repo}:pull,push`;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The registry's own error document (`{"errors":[{"code","message"}]}`) as one short phrase. */
export function registryErrorText(status: number, body: string): string {
  try {
    const errors = (JSON.parse(body) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
    const text = errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    if (text !== '') return `${status} ${text}`;
  } catch {
    // not JSON
  }
  return `${status} ${body.trim().slice(0, 200)}`.trim();
}

/** A small client for the OCI distribution API: what copying an image needs and nothing else. */
export class RegistryClient {
  private base: URL;
  /** Loopback only: the first request may find plain HTTP, and the client stays on it from then on. */
  private plainFallback: boolean;
  private readonly auth: Authenticator;

  constructor(readonly endpoint: RegistryEndpoint) {
    ({ base: this.base, plainFallback: this.plainFallback } = registryBase(endpoint.host));
    this.auth = new Authenticator(endpoint.host, endpoint.credentials, endpoint.who, async (url, headers) => {
      const res = await send(url, 'GET', { ...headers, 'user-agent': USER_AGENT });
      return { status: res.status, body: await readAll(res.body, 1024 * 1024) };
    });
  }

  get host(): string {
    return this.endpoint.host;
  }

  /**
   * One request with auth. A 401 is answered (learn the scheme, fetch a token) and the request sent again
   * when its body can be sent again; a streamed body cannot, so that 401 is a transient failure the caller's
   * retry repeats with the new token. GET/HEAD follow redirects (blob storage), without credentials when the
   * redirect leaves the registry host.
   */
  async request(
    method: string,
    target: string | URL,
    scope: string,
    opts: { headers?: Record<string, string>; body?: Body } = {},
  ): Promise<HttpResponse> {
    let url = typeof target === 'string' ? new URL(target, this.base) : target;
    let redirects = 0;
    for (let round = 0; ;) {
      const auth = url.host === this.base.host ? this.auth.header(scope) : undefined;
      const headers = { 'user-agent': USER_AGENT, ...opts.headers, ...(auth ? { authorization: auth } : {}) };
      let res: HttpResponse;
      try {
        res = await send(url, method, headers, opts.body);
      } catch (err) {
        if (!(this.plainFallback && url.host === this.base.host && speaksPlainHttp(err))) {
          throw untrustedByNode(this.host, err) ?? err;
        }
        this.base = new URL(`http://${this.host}`);
        url = new URL(`${url.pathname}${url.search}`, this.base);
        this.plainFallback = false;
        continue;
      }
      this.plainFallback = false;
      if (res.status === 401 && url.host === this.base.host) {
        await discard(res.body);
        await this.auth.unauthorized(scope, header(res, 'www-authenticate'), round > 0);
        round++;
        if (typeof opts.body === 'function') {
          throw new HttpStatusError(401, `${method} ${url.pathname}: authorization renewed`, true);
        }
        continue;
      }
      const location = header(res, 'location');
      if ((method === 'GET' || method === 'HEAD') && REDIRECTS.has(res.status) && location && redirects < 5) {
        await discard(res.body);
        url = new URL(location, url);
        redirects++;
        continue;
      }
      return res;
    }
  }

  /** Throws the registry's answer as an error when the status is not one of `ok`. */
  private async expect(res: HttpResponse, ok: number[], what: string): Promise<void> {
    if (ok.includes(res.status)) return;
    const text = (await readAll(res.body, 64 * 1024)).toString('utf8');
    if (res.status === 403) {
      throw new UserError(`Registry ${this.host} denied ${what} (${registryErrorText(403, text)}).`);
    }
    throw new HttpStatusError(res.status, `${what} on ${this.host}: ${registryErrorText(res.status, text)}`);
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repo}/blobs/${digest}`, pushScope(repo));
    await discard(res.body);
    if (res.status === 404) return false;
    await this.expect(res, [200], `HEAD blob ${digest}`);
    return true;
  }

  /** The blob's bytes as a stream (the caller verifies the digest while it reads). */
  async blob(repo: string, digest: string): Promise<Readable> {
    const res = await this.request('GET', `/v2/${repo}/blobs/${digest}`, pullScope(repo));
    await this.expect(res, [200], `GET blob ${digest} of ${repo}`);
    return res.body;
  }

  /** A manifest or index by tag or digest, with its exact bytes; a digest reference is verified. */
  async manifest(repo: string, reference: string): Promise<ManifestBlob | undefined> {
    const res = await this.request('GET', `/v2/${repo}/manifests/${reference}`, pullScope(repo), {
      headers: { accept: ACCEPT_MANIFESTS },
    });
    if (res.status === 404) {
      await discard(res.body);
      return undefined;
    }
    await this.expect(res, [200], `GET manifest ${repo}:${reference}`);
    const blob = manifestBlob(await readAll(res.body), header(res, 'content-type'));
    if (reference.startsWith('sha256:') && blob.digest !== reference) {
      throw new Error(`Registry ${this.host} served ${blob.digest} for ${repo}@${reference}.`);
    }
    return blob;
  }

  /** What a tag points at now, or undefined when it does not exist. */
  async manifestDigest(repo: string, reference: string): Promise<string | undefined> {
    const res = await this.request('HEAD', `/v2/${repo}/manifests/${reference}`, pushScope(repo), {
      headers: { accept: ACCEPT_MANIFESTS },
    });
    await discard(res.body);
    if (res.status === 404) return undefined;
    await this.expect(res, [200], `HEAD manifest ${repo}:${reference}`);
    return header(res, 'docker-content-digest');
  }

  /** PUT a manifest under a tag or its digest; returns the digest the registry says it stored. */
  async putManifest(repo: string, reference: string, manifest: ManifestBlob): Promise<string> {
    const res = await this.request('PUT', `/v2/${repo}/manifests/${reference}`, pushScope(repo), {
      headers: { 'content-type': manifest.mediaType, 'content-length': String(manifest.bytes.length) },
      body: manifest.bytes,
    });
    await this.expect(res, [200, 201], `PUT manifest ${repo}:${reference}`);
    await discard(res.body);
    return header(res, 'docker-content-digest') ?? manifest.digest;
  }

  /**
   * Opens an upload session, or mounts the blob from another repository of the same registry: 201 means
   * mounted; a registry that does not allow the mount (ECR unless opted in) answers 202 with a session.
   */
  async startUpload(repo: string, mount?: { digest: string; from: string }): Promise<URL | 'mounted'> {
    const query = mount ? `?mount=${mount.digest}&from=${encodeURIComponent(mount.from)}` : '';
    const scope = mount ? `${pushScope(repo)} ${pullScope(mount.from)}` : pushScope(repo);
    const res = await this.request('POST', `/v2/${repo}/blobs/uploads/${query}`, scope, {
      headers: { 'content-length': '0' },
      body: Buffer.alloc(0),
    });
    await this.expect(res, [201, 202], `start upload to ${repo}`);
    await discard(res.body);
    if (res.status === 201 && mount) return 'mounted';
    return this.location(res);
  }

  /** PATCH one chunk (`Content-Range: start-end`); returns the session's next location. */
  async patch(repo: string, location: URL, start: number, length: number, body: Body): Promise<URL> {
    const res = await this.request('PATCH', location, pushScope(repo), {
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(length),
        'content-range': `${start}-${start + length - 1}`,
      },
      body,
    });
    await this.expect(res, [202, 204], `PATCH upload chunk at ${start}`);
    await discard(res.body);
    return this.location(res);
  }

  /** Closes the session with the digest (and the whole blob as body for a monolithic upload). */
  async finishUpload(repo: string, location: URL, digest: string, body?: Body, length = 0): Promise<void> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const res = await this.request('PUT', url, pushScope(repo), {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
      body: body ?? Buffer.alloc(0),
    });
    await this.expect(res, [201, 204], `PUT blob ${digest}`);
    await discard(res.body);
  }

  /** Best effort: an abandoned session would otherwise linger until the registry's purge. */
  async cancelUpload(repo: string, location: URL): Promise<void> {
    try {
      const res = await this.request('DELETE', location, pushScope(repo));
      await discard(res.body);
    } catch {
      // the session expires on its own
    }
  }

  private location(res: HttpResponse): URL {
    const location = header(res, 'location');
    if (!location) throw new Error(`Registry ${this.host} opened an upload without a Location.`);
    return new URL(location, this.base);
  }
}

const USER_AGENT = 'ecs-ship (oci-client)';

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
