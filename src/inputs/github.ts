import { inputError, UserError } from '../errors.js';
import { parseBoolean, parseNumber, type InputReader } from './parse.js';

/** Pull-request previews: a service per pull request (`preview: true`). */
interface PreviewInputs {
  /** Template of the preview service's name: `{service}`, `{number}`. */
  name: string;
  desiredCount: number;
  /** An ALB listener to add a host-header rule to; undefined = no URL from a load balancer. */
  listenerArn: string | undefined;
  /** Template of the preview's host name (`pr-{number}.preview.example.com`); with `listenerArn`. */
  host: string | undefined;
  /** On close, also delete the images the preview's revisions referenced. */
  deleteImages: boolean;
}

/** What GitHub is told (a deployment, a PR comment) and the previews; undefined when none is asked for. */
export interface GitHubInputs {
  /** The GitHub environment deployments go to; undefined for a preview (its own environment). */
  environment: string | undefined;
  /** `github-token`; never printed. */
  token: string;
  /** Template of the environment URL: `{number}`, `{service}`, `{sha}`; undefined = none (or the preview host). */
  environmentUrl: string | undefined;
  preview: PreviewInputs | undefined;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** A template may only name the placeholders listed. */
function template(name: string, raw: string, allowed: string[], expected: string): string {
  const value = raw.trim();
  for (const [, key] of value.matchAll(PLACEHOLDER)) {
    if (!allowed.includes(key ?? '')) {
      throw inputError(name, value, `${expected} (placeholders: ${allowed.map((a) => `{${a}}`).join(', ')})`);
    }
  }
  return value;
}

// GitHub's rule for environment names: at most 255 characters, no control characters (and not only blanks).
const ENVIRONMENT = /^[^\u0000-\u001f\u007f]{1,255}$/;
const LISTENER_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/app\/[\w-]+\/\w+\/\w+$/;
const HOST = /^(?:\*\.)?[A-Za-z0-9{}-]+(?:\.[A-Za-z0-9{}-]+)*$/;

function readPreview(read: InputReader): PreviewInputs | undefined {
  const enabled = parseBoolean('preview', read('preview'), false);
  const extras = ['preview-name', 'preview-desired-count', 'preview-listener-arn', 'preview-host'];
  const stray = extras.find((name) => read(name).trim() !== '');
  const deleteImagesRaw = read('preview-delete-images');
  if (!enabled) {
    if (stray)
      throw new UserError(`Input '${stray}' is set, but 'preview' is not true: set preview: true too.`);
    parseBoolean('preview-delete-images', deleteImagesRaw, false);
    return undefined;
  }
  const name =
    template('preview-name', read('preview-name'), ['service', 'number'], 'a service name template') ||
    '{service}-pr-{number}';
  if (!name.includes('{number}')) {
    throw inputError(
      'preview-name',
      name,
      'a template with {number}, so each pull request has its own service',
    );
  }
  const desiredCount = parseNumber('preview-desired-count', read('preview-desired-count'), 1, {
    min: 0,
    max: 100,
    unit: 'tasks',
    integer: true,
  });
  const listenerArn = read('preview-listener-arn').trim() || undefined;
  if (listenerArn && !LISTENER_ARN.test(listenerArn)) {
    throw inputError('preview-listener-arn', listenerArn, 'an Application Load Balancer listener ARN');
  }
  const rawHost = template(
    'preview-host',
    read('preview-host'),
    ['service', 'number'],
    'a host name template',
  );
  if (rawHost !== '' && !HOST.test(rawHost)) {
    throw inputError('preview-host', rawHost, 'a host name such as pr-{number}.preview.example.com');
  }
  const host = rawHost || undefined;
  if (Boolean(listenerArn) !== Boolean(host)) {
    const [set, missing] = listenerArn
      ? ['preview-listener-arn', 'preview-host']
      : ['preview-host', 'preview-listener-arn'];
    throw new UserError(`Input '${set}' is set without '${missing}': a preview URL needs both.`);
  }
  const deleteImages = parseBoolean('preview-delete-images', deleteImagesRaw, false);
  return { name, desiredCount, listenerArn, host, deleteImages };
}

/** The GitHub side of the step; undefined when neither `environment` nor `preview` is set. */
export function readGitHubInputs(read: InputReader): GitHubInputs | undefined {
  // Taken as given: a token is never trimmed or shown, only its absence reported.
  const token = read('github-token');
  const rawEnvironment = read('environment').trim();
  template('environment', rawEnvironment, ['number'], 'a GitHub environment name');
  if (rawEnvironment !== '' && !ENVIRONMENT.test(rawEnvironment)) {
    throw inputError('environment', rawEnvironment, 'a GitHub environment name (at most 255 characters)');
  }
  const environmentUrl =
    template('environment-url', read('environment-url'), ['number', 'service', 'sha'], 'an http(s) URL') ||
    undefined;
  if (environmentUrl && !/^https?:\/\/\S+$/.test(environmentUrl)) {
    throw inputError(
      'environment-url',
      environmentUrl,
      'an http(s) URL such as https://pr-{number}.example.com',
    );
  }
  const preview = readPreview(read);
  // GitHub retires (`inactive`) the earlier deployments of an environment when a new one succeeds, and a
  // close marks all of its deployments inactive: previews sharing one environment would retire each other.
  if (preview && rawEnvironment !== '' && !rawEnvironment.includes('{number}')) {
    throw inputError(
      'environment',
      rawEnvironment,
      'a name with {number} when preview is true, so each pull request has its own environment (or leave it empty: the preview service name)',
    );
  }
  if (rawEnvironment === '' && !preview) {
    if (environmentUrl)
      throw new UserError("Input 'environment-url' is set, but 'environment' is not: set environment too.");
    return undefined;
  }
  if (token.trim() === '') {
    throw new UserError(
      "Input 'github-token' is empty: deployments and PR comments need a token (the default is ${{ github.token }}).",
    );
  }
  return { environment: rawEnvironment || undefined, token, environmentUrl, preview };
}

/** Pure: a template with its `{name}` placeholders filled (unknown ones were refused when read). */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, key: string) => values[key] ?? whole);
}
