// The sandbox's log of every call, in order, and what it answered instead when it did not handle one.
import type { RequestContext, Service } from './http.js';

export interface RequestLogEntry {
  service: Service;
  operation: string;
  write: boolean;
  at: Date;
  userAgent: string;
  /** The access key that signed the call (undefined: unsigned, as AssumeRoleWithWebIdentity may be). */
  accessKeyId: string | undefined;
  /** Who that key belongs to, once the signature checked out: a user's or an assumed role's ARN. */
  principal?: string;
  /** The error the sandbox answered with instead of handling the call (faults, denied). */
  fault?: string;
}

const READ_PREFIXES = ['Describe', 'List', 'Get', 'BatchGet', 'Simulate'];

/** A new log entry for a call as it arrives; write = not Describe*, List*, Get*, BatchGet* or Simulate*. */
export function logEntryFor(ctx: RequestContext): RequestLogEntry {
  return {
    service: ctx.service,
    operation: ctx.operation,
    write: !READ_PREFIXES.some((p) => ctx.operation.startsWith(p)),
    at: new Date(),
    userAgent: ctx.userAgent,
    accessKeyId: ctx.accessKeyId,
  };
}
