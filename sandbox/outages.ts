import { AwsError, HangUp, RawAnswer, type RequestContext, type Service } from './http.js';

/**
 * Endpoints that are not all there, as a test asks for them: an operation this endpoint lacks (LocalStack,
 * moto, a partition without the API), and an API that does not answer at all for a while. Both are switches
 * on the sandbox, never anything the action could see.
 */

/** How an operation the endpoint lacks answers. */
export type Missing =
  /** HTTP 400 UnknownOperationException, as AWS answers a target it does not know. */
  | 'unknown-operation'
  /** HTTP 501, as LocalStack answers an operation it does not implement. */
  | 'not-implemented'
  /** HTTP 500 with an HTML page, as moto answers ListServiceDeployments. */
  | 'html-500';

/** The service-deployment API, which older emulators and some partitions lack. */
export const SERVICE_DEPLOYMENT_API = [
  'ListServiceDeployments',
  'DescribeServiceDeployments',
  'DescribeServiceRevisions',
  'StopServiceDeployment',
];

/** An API that does not answer: every call to `services` gets `answer` while the outage lasts. */
export interface Outage {
  /** `503`: a front door's HTML 503 page; `hang-up`: the connection is closed without an answer. */
  answer: '503' | 'hang-up';
  /** Which APIs; ECS only by default. */
  services?: Service[];
  /** The outage begins once the sandbox has answered this operation (e.g. `UpdateService`); at once without. */
  after?: string;
  /** Real seconds it lasts; for good without. */
  seconds?: number;
}

// Werkzeug's page, byte for byte what moto sends for an operation it lacks.
const HTML_500 =
  '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n' +
  '<p>The server encountered an internal error and was unable to complete your request. Either the server is ' +
  'overloaded or there is an error in the application.</p>\n';
const HTML_503 = '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n';

export function missingAnswer(how: Missing, ctx: RequestContext): Error {
  switch (how) {
    case 'unknown-operation':
      return new AwsError('UnknownOperationException', `Unknown operation ${ctx.operation}`);
    case 'not-implemented':
      return new AwsError(
        'InternalFailure',
        `API action '${ctx.operation}' for service '${ctx.service}' not yet implemented`,
        501,
      );
    case 'html-500':
      return new RawAnswer(500, HTML_500);
  }
}

/** When each outage began: set when it is first in force, so a test only assigns `sandbox.outage`. */
export class Outages {
  private readonly began = new WeakMap<Outage, number>();

  /** The answer a call gets instead of its result now, if an outage is in force for it. */
  answer(outage: Outage | undefined, ctx: RequestContext, now: number): Error | undefined {
    if (!outage || !(outage.services ?? ['ecs']).includes(ctx.service)) return undefined;
    if (outage.after === undefined && !this.began.has(outage)) this.began.set(outage, now);
    const began = this.began.get(outage);
    if (began === undefined) return undefined;
    if (outage.seconds !== undefined && now - began >= outage.seconds * 1000) return undefined;
    return outage.answer === '503' ? new RawAnswer(503, HTML_503) : new HangUp();
  }

  /** After a call was answered: an outage waiting for this operation begins now. */
  answered(outage: Outage | undefined, ctx: RequestContext, now: number): void {
    if (outage?.after === ctx.operation && !this.began.has(outage)) this.began.set(outage, now);
  }
}
