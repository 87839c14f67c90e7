import { UserError } from '../errors.js';

// One wording for a registry certificate this runner does not trust, whichever client met it: the OCI client
// (Node's TLS: NODE_EXTRA_CA_CERTS is the fix) or docker (dockerd's own TLS: its certs.d directory is).
// Either way it is never worth a retry: the same certificate comes back until someone adds the CA.

/** Node's codes for a chain it does not trust or a certificate that does not fit the host. */
const NODE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const FIX = {
  node: "set NODE_EXTRA_CA_CERTS to the CA's PEM file",
  docker: (host: string) =>
    `put the CA's PEM file at /etc/docker/certs.d/${host}/ca.crt on the runner (or in its system trust store)`,
};

function untrusted(host: string, client: string, reason: string, fix: string): UserError {
  return new UserError(
    `Registry ${host} presented a TLS certificate ${client} does not trust (${reason}); if a private CA signed it, ${fix}.`,
  );
}

/** The OCI client's TLS error, when it is an untrusted certificate; undefined for any other error. */
export function untrustedByNode(host: string, err: unknown): UserError | undefined {
  const code = (err as { code?: string })?.code ?? '';
  return NODE_CODES.has(code) ? untrusted(host, 'this runner', code, FIX.node) : undefined;
}

/**
 * docker's output when dockerd refused the registry's certificate — `x509: certificate signed by unknown
 * authority`, `tls: failed to verify certificate: x509: …` — as the same line; undefined otherwise. Only
 * the x509 clause is kept: the rest repeats the URL, and Go's "(possibly because of …)" says nothing a fix needs.
 */
export function untrustedByDocker(host: string, stderr: string): UserError | undefined {
  const reason = /x509: (.*?)(?: \(possibly because .*)?$/m.exec(stderr)?.[1]?.trim();
  return reason ? untrusted(host, 'Docker on this runner', `x509: ${reason}`, FIX.docker(host)) : undefined;
}
