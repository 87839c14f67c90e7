// Checks a request's SigV4 signature the way AWS does, by signing it again with the secret the sandbox
// holds for its access key: the SDK's own signer does the signing, so the sandbox never disagrees with the
// SDK about canonical requests (and no SigV4 is written by hand here).
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { WireRequest } from './http.js';

/** The `Checksum` the signer wants: SHA-256, or HMAC-SHA256 when given a key. */
export class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? this.secret
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | ArrayBufferView): void {
    this.hash.update(
      typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    );
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

interface Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseSigV4(header: string | undefined): Authorization | undefined {
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
      header ?? '',
    );
  if (!m) return undefined;
  const [, accessKeyId, date, region, service, headers, signature] = m as unknown as string[];
  return {
    accessKeyId: accessKeyId ?? '',
    date: date ?? '',
    region: region ?? '',
    service: service ?? '',
    signedHeaders: (headers ?? '').split(';'),
    signature: signature ?? '',
  };
}

/** `20261203T125959Z` -> the Date it names. */
function amzDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
}

/** True when `wire` carries a valid signature by these credentials (session token included if signed). */
export async function signatureMatches(
  wire: WireRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<boolean> {
  const auth = parseSigV4(wire.headers.authorization);
  const signingDate = amzDate(wire.headers['x-amz-date']);
  if (!auth || !signingDate) return false;
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = wire.headers[name];
    if (value === undefined) return false;
    headers[name] = value;
  }
  const [hostname, port] = (wire.headers.host ?? '').split(':');
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      // Only a signed token counts; the signer adds the header itself when given one.
      ...(headers['x-amz-security-token'] !== undefined && credentials.sessionToken !== undefined
        ? { sessionToken: credentials.sessionToken }
        : {}),
    },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: 'x-amz-content-sha256' in headers,
  });
  const signed = await signer.sign(
    {
      method: wire.method,
      protocol: 'http:',
      hostname: hostname ?? '',
      ...(port ? { port: Number(port) } : {}),
      path: wire.path,
      query: wire.query,
      headers,
      body: wire.body,
    },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  return signed.headers.authorization === wire.headers.authorization;
}
