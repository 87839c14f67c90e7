export const id = 949;
export const ids = [949];
export const modules = {

/***/ 8603:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ decodeAuthorizationToken),
/* harmony export */   C: () => (/* binding */ getEcrLogin)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7264);
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8249);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3564);



/**
 * Decodes an ECR (or ECR Public) authorization token, base64 "AWS:<password>". The token and the decoded
 * password are masked before anything else happens to them, so no later line can leak them.
 */
function decodeAuthorizationToken(token, service) {
    if (token)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(token);
    if (!token)
        throw new Error(`${service} GetAuthorizationToken returned no authorization data.`);
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    if (password !== '')
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(password);
    if (colon <= 0 || password === '') {
        throw new Error(`${service} GetAuthorizationToken returned a token that is not "user:password" in base64.`);
    }
    return { username: decoded.slice(0, colon), password };
}
/** Credentials for `docker login` and registry pushes to the account's private ECR registry. */
async function getEcrLogin(ecr) {
    const response = await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__/* .GetAuthorizationTokenCommand */ .Eu6({}));
    const data = response.authorizationData?.[0];
    const credentials = decodeAuthorizationToken(data?.authorizationToken, 'ECR');
    if (!data?.proxyEndpoint)
        throw new Error('ECR GetAuthorizationToken returned no authorization data.');
    return { registry: (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .registryHost */ .U$)(data.proxyEndpoint), ...credentials, expiresAt: data.expiresAt };
}


/***/ }),

/***/ 3564:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JI: () => (/* binding */ parseDigestFromPushOutput),
/* harmony export */   U$: () => (/* binding */ registryHost),
/* harmony export */   W_: () => (/* binding */ imageUri)
/* harmony export */ });
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** `https://123.dkr.ecr.eu-west-1.amazonaws.com` → `123.dkr.ecr.eu-west-1.amazonaws.com` (port kept if any). */
function registryHost(proxyEndpoint) {
    const trimmed = proxyEndpoint.trim();
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
    let url;
    try {
        url = new URL(withScheme);
    }
    catch {
        throw new Error(`ECR returned a registry endpoint that is not a URL: '${proxyEndpoint}'.`);
    }
    if (url.hostname === '')
        throw new Error(`ECR returned a registry endpoint without a host: '${proxyEndpoint}'.`);
    return url.host;
}
/** `host/repo@digest` when a digest is known (what ECS should run), else `host/repo:tag`. */
function imageUri(host, repository, ref) {
    const base = `${host}/${repository}`;
    if (ref.tag !== undefined && !TAG.test(ref.tag))
        throw new Error(`Not a valid image tag: '${ref.tag}'.`);
    if (ref.digest !== undefined && !DIGEST.test(ref.digest)) {
        throw new Error(`Not a valid image digest: '${ref.digest}'.`);
    }
    if (ref.digest !== undefined)
        return `${base}@${ref.digest}`;
    if (ref.tag !== undefined)
        return `${base}:${ref.tag}`;
    throw new Error('An image reference needs a tag or a digest.');
}
/**
 * The digest docker printed for the pushed manifest, from the line docker ends a push with:
 * `v1: digest: sha256:<64 hex> size: 528`. The last such line wins, as docker prints one per tag pushed.
 */
function parseDigestFromPushOutput(output) {
    const matches = [...output.matchAll(/^\s*\S+: digest: (sha256:[a-f0-9]{64}) size: \d+\s*$/gm)];
    return matches[matches.length - 1]?.[1];
}


/***/ }),

/***/ 9949:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ship: () => (/* binding */ ship)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 10 modules
var core = __webpack_require__(7264);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(8249);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var client_ecs_dist_cjs = __webpack_require__(212);
;// CONCATENATED MODULE: ./src/aws/clients.ts


const USER_AGENT = 'ecs-ship/0.1.0';
// 8 attempts: at a 20% throttling/5xx rate one call fails for good about once in 400,000 (0.2^8), not
// once in 3,000 (0.2^5); a write such as RegisterTaskDefinition has no outer retry to fall back on.
const COMMON = { maxAttempts: 8, retryMode: 'standard', customUserAgent: USER_AGENT };
/**
 * Endpoints come from the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_ECR
 * handling, so the sandbox and LocalStack need no special path here. Standard retries cover
 * throttling and 5xx; the watcher adds its own patience on top.
 */
function createClients(region) {
    const common = { region, ...COMMON };
    return { ecs: new client_ecs_dist_cjs/* ECSClient */.Zgc(common), ecr: new dist_cjs/* ECRClient */.S70(common) };
}
/**
 * ECR Public's API lives only in us-east-1, whatever region the step deploys to. Its SDK is imported on
 * first use, so a step that never targets public.ecr.aws never loads it. The endpoint follows
 * AWS_ENDPOINT_URL_ECR_PUBLIC like the other clients'.
 */
async function createEcrPublicClient() {
    const { ECRPUBLICClient } = await __webpack_require__.e(/* import() */ 821).then(__webpack_require__.t.bind(__webpack_require__, 9821, 19));
    return new ECRPUBLICClient({ region: 'us-east-1', ...COMMON });
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/deploy/awsErrors.ts
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'NotAuthorized']);
const NOT_FOUND = new Set([
    'ServiceNotFoundException',
    'ClusterNotFoundException',
    'ServiceNotActiveException',
]);
const UNAVAILABLE = new Set([
    'UnknownOperationException',
    'UnknownOperation',
    'InvalidAction',
    'NotImplemented',
    'UnsupportedFeatureException',
    'InvalidParameterException',
]);
const THROTTLED = new Set([
    'ThrottlingException',
    'Throttling',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'ServerException',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'InternalError',
    'InternalFailure',
    'RequestTimeout',
    'RequestTimeoutException',
    'TimeoutError',
    'AbortError',
]);
const NETWORK = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ENOTFOUND',
    'ENETUNREACH',
]);
function errorName(err) {
    if (typeof err !== 'object' || err === null)
        return String(err);
    const e = err;
    return typeof e.name === 'string' && e.name !== 'Error'
        ? e.name
        : typeof e.code === 'string'
            ? e.code
            : 'Error';
}
function classifyAwsError(err) {
    if (typeof err !== 'object' || err === null)
        return 'fatal';
    const e = err;
    const name = errorName(err);
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
    if (DENIED.has(name))
        return 'denied';
    if (NOT_FOUND.has(name))
        return 'not-found';
    if (UNAVAILABLE.has(name))
        return 'unavailable';
    if (THROTTLED.has(name) || (typeof e.code === 'string' && NETWORK.has(e.code)) || NETWORK.has(name)) {
        return 'transient';
    }
    if (status !== undefined && (status >= 500 || status === 429))
        return 'transient';
    if (e.$retryable)
        return 'transient';
    // A socket that died before any HTTP response has no status code at all.
    if (status === undefined &&
        typeof e.message === 'string' &&
        /socket hang up|network|timed? ?out/i.test(e.message)) {
        return 'transient';
    }
    return 'fatal';
}
/** `DescribeServicesCommand` → `ecs:DescribeServices`, the IAM action a policy must allow. */
function iamAction(operation) {
    return `ecs:${operation.replace(/Command$/, '')}`;
}

;// CONCATENATED MODULE: ./src/deploy/evidence.ts
/**
 * Evidence from stopped tasks and service events that a rollout will not succeed, even though ECS still
 * says IN_PROGRESS. Pure. The rule, per failure mode (also in the README):
 * - The image cannot be pulled: fail at the first such task. Nothing ECS retries will make it appear.
 * - An essential container exited (stopCode EssentialContainerExited): fail at the first such task. A
 *   container that exits at start-up does so on every attempt (bad command, missing config, crash);
 *   ECS would relaunch it until the circuit breaker trips, or forever without one.
 * - A health check failed (container or load balancer): the check has already had its start period and
 *   retries, so when the circuit breaker is off, fail at the first such task (ECS would retry forever).
 *   When the breaker is on, ECS is judging with the patience the user configured: the watcher reports
 *   each unhealthy task and waits for ECS's verdict (and its rollback).
 * - Tasks cannot be placed ("unable to place a task"): fail at the first such event. No task starts, so
 *   the breaker never counts it and ECS retries forever; only new capacity fixes it.
 * Tasks stopped by the scheduler (scale-in, replacement, Spot) are never evidence.
 */
const PULL_ERROR = 'CannotPullContainerError';
/** The last path segment of a task ARN, which is what the console and the CLI call the task id. */
function taskId(taskArn) {
    if (!taskArn)
        return '?';
    return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}
/** A stopped task that will never start: the image is missing or unreachable, and waiting won't fix it. */
function pullFailure(tasks) {
    for (const task of tasks) {
        const container = task.containers?.find((c) => c.reason?.includes(PULL_ERROR)) ??
            task.containers?.find((c) => c.exitCode === undefined);
        const reason = task.stoppedReason?.includes(PULL_ERROR)
            ? task.stoppedReason
            : container?.reason?.includes(PULL_ERROR)
                ? container.reason
                : undefined;
        if (reason === undefined)
            continue;
        const where = container?.name ? `container '${container.name}'` : 'a container';
        return `Task ${taskId(task.taskArn)} stopped: ${where} could not pull its image: ${reason}`;
    }
    return undefined;
}
// 137/143 are SIGKILL/SIGTERM: what the other containers of a stopping task get, not the cause.
const SIGNALLED = new Set([137, 143]);
/** "essential container 'web' exited with code 3", from a task ECS stopped for an essential exit. */
function crashFailure(tasks) {
    for (const task of tasks) {
        if (task.stopCode !== 'EssentialContainerExited')
            continue;
        const exited = (task.containers ?? []).filter((c) => c.exitCode !== undefined);
        const culprit = exited.find((c) => c.exitCode !== 0 && !SIGNALLED.has(c.exitCode ?? 0)) ??
            exited.find((c) => c.exitCode !== 0) ??
            exited[0];
        const what = culprit
            ? `essential container '${culprit.name ?? '?'}' exited with code ${culprit.exitCode}`
            : 'an essential container exited';
        const why = culprit?.reason ? ` (${culprit.reason})` : '';
        return `Task ${taskId(task.taskArn)} stopped: ${what}${why}: ${task.stoppedReason ?? 'Essential container in task exited'}`;
    }
    return undefined;
}
const HEALTH = /failed (?:container|ELB|load balancer) health checks?/i;
function healthFailure(tasks) {
    for (const task of tasks) {
        if (!HEALTH.test(task.stoppedReason ?? ''))
            continue;
        const sick = (task.containers ?? [])
            .filter((c) => c.healthStatus === 'UNHEALTHY')
            .map((c) => `'${c.name}'`);
        const which = sick.length > 0
            ? `container ${sick.join(', ')} never passed its health check`
            : 'it never became healthy';
        return `Task ${taskId(task.taskArn)} stopped: ${which}: ${task.stoppedReason}`;
    }
    return undefined;
}
/** The first "unable to place a task" event since `since`. */
function placementFailure(service, since) {
    const events = [...(service?.events ?? [])]
        .filter((e) => (e.createdAt?.getTime() ?? 0) >= since.getTime())
        .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
    const event = events.find((e) => /unable to place a task/.test(e.message ?? ''));
    return event ? `ECS cannot place the new tasks: ${event.message}` : undefined;
}
/** Whether ECS's deployment circuit breaker is judging this rollout. */
function breakerOn(service, breakerStatus) {
    if (breakerStatus !== undefined)
        return breakerStatus !== 'DISABLED';
    return service?.deploymentConfiguration?.deploymentCircuitBreaker?.enable === true;
}
/** The first conclusive failure among stopped tasks of our revision and the service's new events. */
function conclusiveFailure(service, stoppedTasks, since, breakerStatus) {
    return (pullFailure(stoppedTasks) ??
        crashFailure(stoppedTasks) ??
        (breakerOn(service, breakerStatus) ? undefined : healthFailure(stoppedTasks)) ??
        placementFailure(service, since));
}

;// CONCATENATED MODULE: ./src/deploy/identify.ts
/** `arn:...:task-definition/web:7` → `web:7`; anything else is shown as given. */
function revisionName(taskDefinition) {
    if (!taskDefinition)
        return 'an unknown revision';
    const slash = taskDefinition.lastIndexOf('/');
    return slash >= 0 ? taskDefinition.slice(slash + 1) : taskDefinition;
}
/**
 * Family:revision comparison, because a service may report the task definition as a full ARN while
 * the target holds the ARN RegisterTaskDefinition returned (same thing) — or, from a user-provided
 * input, `family:rev`.
 */
function sameTaskDefinition(a, b) {
    if (!a || !b)
        return false;
    return a === b || revisionName(a) === revisionName(b);
}
function primaryDeployment(service) {
    return service?.deployments?.find((d) => d.status === 'PRIMARY');
}
/** Our deployment: by id when UpdateService told us, else the newest with our task definition. */
function ourDeployment(service, target) {
    const deployments = service?.deployments ?? [];
    if (target.deploymentId) {
        const byId = deployments.find((d) => d.id === target.deploymentId);
        if (byId)
            return byId;
    }
    return deployments
        .filter((d) => sameTaskDefinition(d.taskDefinition, target.taskDefinitionArn))
        .sort((x, y) => (y.createdAt?.getTime() ?? 0) - (x.createdAt?.getTime() ?? 0))[0];
}
/** What the service runs now, for "rolled back to ..." when ours is no longer PRIMARY. */
function currentRevision(service, target) {
    const primary = primaryDeployment(service);
    if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
        return revisionName(primary.taskDefinition);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/deploy/rollout.ts

const NOT_DONE = { done: false };
function succeeded(reason) {
    return { done: true, success: true, state: 'SUCCESSFUL', reason };
}
function failed(reason, state = 'FAILED', rollback) {
    return { done: true, success: false, state, reason, ...(rollback ? { rollback } : {}) };
}
function withReason(text, reason) {
    return reason ? `${text}: ${reason}` : text;
}
/** What the last failed task of ours said, so a breaker verdict names the cause, not only the count. */
function lastFailure(tasks) {
    const task = tasks[tasks.length - 1];
    if (!task)
        return '';
    const exits = (task.containers ?? [])
        .filter((c) => c.exitCode !== undefined && c.exitCode !== 0)
        .map((c) => `container '${c.name ?? '?'}' exit ${c.exitCode}`);
    const sick = (task.containers ?? [])
        .filter((c) => c.healthStatus === 'UNHEALTHY')
        .map((c) => `container '${c.name ?? '?'}' UNHEALTHY`);
    const details = [...exits, ...sick];
    return `; last failed task ${taskId(task.taskArn)}: ${task.stoppedReason ?? 'no reason given'}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

;// CONCATENATED MODULE: ./src/deploy/judge-service-deployment.ts


function circuitBreakerNote(sd) {
    const cb = sd.deploymentCircuitBreaker;
    const alarms = sd.alarms?.triggeredAlarmNames ?? [];
    const notes = [];
    if (cb?.status === 'TRIGGERED') {
        notes.push(`circuit breaker triggered after ${cb.failureCount ?? '?'} failed tasks (threshold ${cb.threshold ?? '?'})`);
    }
    if (alarms.length > 0)
        notes.push(`alarms in ALARM: ${alarms.join(', ')}`);
    return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}
/** A rollback ECS runs on the failed rollout's own service deployment, seen from the revision it returns to. */
function judgeRollback(sd, target) {
    const back = revisionName(target.taskDefinitionArn);
    switch (sd.status) {
        case 'ROLLBACK_SUCCESSFUL':
            return succeeded(`the service is back on ${back}`);
        case 'ROLLBACK_FAILED':
        case 'STOPPED':
            return failed(withReason(`The rollback to ${back} ended ${sd.status}`, sd.statusReason));
        default:
            return NOT_DONE;
    }
}
/**
 * The verdict of our service deployment's status. judge.ts asks it first and falls back on the service's
 * deployments only while it says nothing final, or when the service-deployment API is not available.
 */
function judgeServiceDeployment(sd, snapshot, target) {
    if (target.rollingBack)
        return judgeRollback(sd, target);
    const status = sd.status;
    const note = circuitBreakerNote(sd);
    const backOn = currentRevision(snapshot.service, target);
    const ours = revisionName(target.taskDefinitionArn);
    switch (status) {
        case 'SUCCESSFUL': {
            if (backOn) {
                return failed(`The deployment of ${ours} finished, but the service now runs ${backOn}: someone else deployed`);
            }
            return succeeded(`ECS reports the deployment of ${ours} SUCCESSFUL`);
        }
        case 'ROLLBACK_SUCCESSFUL': {
            const verdict = failed(withReason(`ECS rolled back the deployment of ${ours}; the service is back on ${backOn ?? 'the previous revision'}${note}`, sd.statusReason) + lastFailure(snapshot.stoppedTasks), 'ROLLED_BACK');
            const primary = primaryDeployment(snapshot.service)?.taskDefinition;
            return backOn && primary ? { ...verdict, rolledBackTo: primary } : verdict;
        }
        case 'ROLLBACK_REQUESTED':
        case 'ROLLBACK_IN_PROGRESS':
            return failed(withReason(`ECS is rolling back the deployment of ${ours}${backOn ? ` to ${backOn}` : ''}${note}`, sd.statusReason) + lastFailure(snapshot.stoppedTasks), 'FAILED', 'ecs');
        case 'ROLLBACK_FAILED':
            return failed(withReason(`The deployment of ${ours} failed and so did ECS's rollback${note}`, sd.statusReason));
        case 'STOPPED':
        case 'STOP_REQUESTED':
            // Stopped by the breaker (ours to undo) or superseded by a newer deployment (someone else's now).
            return failed(withReason(`The deployment of ${ours} was stopped (${status})${note}`, sd.statusReason) +
                lastFailure(snapshot.stoppedTasks), 'FAILED', backOn ? undefined : 'ours');
        case 'FAILED':
            return failed(withReason(`The deployment of ${ours} failed${note}`, sd.statusReason) +
                lastFailure(snapshot.stoppedTasks), 'FAILED', 'ours');
        default:
            return NOT_DONE;
    }
}

;// CONCATENATED MODULE: ./src/deploy/judge.ts




// Most of src/deploy (and its tests) imports a rollout's vocabulary from here, where it used to live.


/**
 * ECS's verdict on our rollout, from one snapshot. Pure: no clock, no I/O. It never infers success
 * from counts alone while ECS still reports the rollout in progress, and it treats "the service no
 * longer runs our revision" as failure, which is what a circuit-breaker rollback looks like.
 */
function judge(snapshot, target) {
    const { service, serviceDeployment } = snapshot;
    const where = `${target.service} in cluster ${target.cluster}`;
    if (!service)
        return failed(`Service ${where} no longer exists`);
    if (service.status === 'INACTIVE' || service.status === 'DRAINING') {
        return failed(`Service ${where} is ${service.status}: it was deleted during the rollout`);
    }
    if (serviceDeployment) {
        const verdict = judgeServiceDeployment(serviceDeployment, snapshot, target);
        if (verdict.done)
            return verdict;
    }
    const ours = ourDeployment(service, target);
    const name = revisionName(target.taskDefinitionArn);
    if (ours?.rolloutState === 'FAILED') {
        const backOn = currentRevision(service, target);
        const text = `The deployment of ${name} failed${backOn ? `; ECS rolled the service back to ${backOn}` : ''}`;
        const primary = primaryDeployment(service);
        const rolledBack = backOn !== undefined && primary?.rolloutState === 'COMPLETED';
        const reason = withReason(text, ours.rolloutStateReason) + lastFailure(snapshot.stoppedTasks);
        if (rolledBack)
            return { ...failed(reason, 'ROLLED_BACK'), rolledBackTo: primary.taskDefinition ?? '' };
        return failed(reason, 'FAILED', backOn ? 'ecs' : 'ours');
    }
    const primary = primaryDeployment(service);
    if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
        return failed(`The service's PRIMARY deployment runs ${revisionName(primary.taskDefinition)}, not ${name}: ` +
            'someone else deployed, or ECS rolled back');
    }
    const evidence = conclusiveFailure(service, snapshot.stoppedTasks, target.startedAt, serviceDeployment?.deploymentCircuitBreaker?.status);
    if (evidence)
        return failed(evidence, 'FAILED', 'ours');
    // Without the service-deployment API, the classic rule: ours is PRIMARY, COMPLETED, at full
    // count, and nothing else is still draining.
    if (!serviceDeployment && ours && ours === primary && service.deployments?.length === 1) {
        const rolloutDone = ours.rolloutState === 'COMPLETED';
        // A service behind a Classic Load Balancer never gets a rolloutState; counts are all ECS gives.
        const noRolloutState = ours.rolloutState === undefined;
        const full = ours.runningCount === ours.desiredCount && (ours.pendingCount ?? 0) === 0;
        if ((rolloutDone || noRolloutState) && full) {
            return succeeded(`${name} is the only deployment, ${rolloutDone ? 'COMPLETED, ' : ''}running ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0}`);
        }
    }
    return NOT_DONE;
}
/** Why we are still waiting, for the timeout message: what a person would look at next. */
function describePending(snapshot, target) {
    const parts = [];
    const sd = snapshot.serviceDeployment;
    if (sd?.status) {
        parts.push(`service deployment ${sd.status}${sd.lifecycleStage ? ` (stage ${sd.lifecycleStage})` : ''}`);
    }
    const ours = ourDeployment(snapshot.service, target);
    if (ours) {
        const state = ours.rolloutState ?? ours.status;
        parts.push(`${revisionName(ours.taskDefinition)}${state ? ` ${state}` : ''} running ` +
            `${ours.runningCount ?? 0}/${ours.desiredCount ?? 0}, pending ${ours.pendingCount ?? 0}, failed ${ours.failedTasks ?? 0}`);
    }
    else if (snapshot.service) {
        parts.push(`no deployment of ${revisionName(target.taskDefinitionArn)} seen yet`);
    }
    const others = (snapshot.service?.deployments ?? []).filter((d) => d !== ours);
    if (others.length > 0) {
        parts.push(`${others.length} other deployment(s) still active (${others.map((d) => revisionName(d.taskDefinition)).join(', ')})`);
    }
    const lastStopped = snapshot.stoppedTasks[snapshot.stoppedTasks.length - 1];
    if (lastStopped?.stoppedReason)
        parts.push(`last stopped task: ${lastStopped.stoppedReason}`);
    return parts.length > 0 ? parts.join('; ') : 'no state reported by ECS';
}

;// CONCATENATED MODULE: ./src/deploy/polling.ts
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

;// CONCATENATED MODULE: ./src/deploy/run-task.ts





/** The containers of a task definition document (what was registered), `essential` defaulting to true. */
function containersOf(taskDefinition) {
    const defs = Array.isArray(taskDefinition.containerDefinitions) ? taskDefinition.containerDefinitions : [];
    return defs.map((d) => ({
        name: String(d.name ?? ''),
        essential: d.essential !== false,
    }));
}
/**
 * Which container a command override goes to; checked before anything is written. Without
 * `run-task-container` it is the one container that gets the new image.
 */
function overrideContainer(runTask, containers, imageContainers) {
    if (runTask.command === undefined)
        return undefined;
    if (runTask.container !== undefined) {
        if (!containers.some((c) => c.name === runTask.container)) {
            throw new errors/* UserError */.yo(`Input 'run-task-container' is '${runTask.container}': expected one of the task definition's ` +
                `containers (${containers.map((c) => c.name).join(', ')}).`);
        }
        return runTask.container;
    }
    if (imageContainers.length !== 1) {
        throw new errors/* UserError */.yo(`Input 'run-task' gives a command, but ${imageContainers.length} containers get the image ` +
            `(${imageContainers.join(', ')}): name the one to run it in with 'run-task-container'.`);
    }
    return imageContainers[0];
}
/**
 * The RunTask call: launch type (or capacity provider strategy) and network from the service, so the
 * one-off task runs where the service's tasks run; the inputs override the network piece by piece.
 */
function runTaskRequest(args) {
    const { service, runTask } = args;
    const request = {
        cluster: args.cluster,
        taskDefinition: args.taskDefinitionArn,
        count: 1,
        startedBy: 'ecs-ship',
    };
    if (service?.capacityProviderStrategy && service.capacityProviderStrategy.length > 0) {
        request.capacityProviderStrategy = service.capacityProviderStrategy;
    }
    else if (service?.launchType) {
        request.launchType = service.launchType;
    }
    if (service?.platformVersion)
        request.platformVersion = service.platformVersion;
    const network = networkFor(service?.networkConfiguration, runTask);
    if (network)
        request.networkConfiguration = network;
    if (args.container !== undefined && runTask.command !== undefined) {
        request.overrides = { containerOverrides: [{ name: args.container, command: runTask.command }] };
    }
    return request;
}
function networkFor(fromService, runTask) {
    const base = fromService?.awsvpcConfiguration;
    const subnets = runTask.subnets.length > 0 ? runTask.subnets : (base?.subnets ?? []);
    if (subnets.length === 0)
        return undefined;
    const securityGroups = runTask.securityGroups.length > 0 ? runTask.securityGroups : base?.securityGroups;
    const assignPublicIp = runTask.assignPublicIp ?? base?.assignPublicIp;
    return {
        awsvpcConfiguration: {
            subnets,
            ...(securityGroups && securityGroups.length > 0 ? { securityGroups } : {}),
            ...(assignPublicIp ? { assignPublicIp } : {}),
        },
    };
}
/**
 * The verdict on a STOPPED task: every essential container must have exited 0. A container without an
 * exit code never ran, which is a failure too (the reason says why, e.g. CannotPullContainerError).
 */
function taskOutcome(task, containers) {
    const essential = new Map(containers.map((c) => [c.name, c.essential]));
    const exits = (task.containers ?? []).map((c) => ({
        container: c.name ?? '?',
        essential: essential.get(c.name ?? '') ?? true,
        exitCode: c.exitCode,
        reason: c.reason,
    }));
    const id = taskId(task.taskArn);
    const bad = exits.filter((e) => e.essential && e.exitCode !== 0);
    if (exits.length === 0 || bad.length > 0) {
        const what = bad.map((e) => e.exitCode === undefined
            ? `container '${e.container}' did not run${e.reason ? ` (${e.reason})` : ''}`
            : `container '${e.container}' exited with code ${e.exitCode}`);
        const stopped = task.stoppedReason ? `; ECS: ${task.stoppedReason}` : '';
        return {
            success: false,
            reason: `One-off task ${id} failed: ${what.join(', ') || 'no containers reported'}${stopped}`,
            exits,
        };
    }
    const codes = exits.filter((e) => e.essential).map((e) => `${e.container} exited 0`);
    return { success: true, reason: `One-off task ${id} succeeded: ${codes.join(', ')}`, exits };
}
function refusal(err, what, action) {
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
    switch (classifyAwsError(err)) {
        case 'transient':
            return err instanceof Error ? err : new Error(message);
        case 'denied':
            return new errors/* UserError */.yo(`Access denied ${what}: allow ${action} (${message})`);
        default: {
            const hint = /network configuration/i.test(message)
                ? " (set 'run-task-subnets', or give the service a network configuration)"
                : '';
            return new errors/* UserError */.yo(`ECS refused ${what}: ${errorName(err)}: ${message}${hint}`);
        }
    }
}
/**
 * Runs the registered revision once (migrations) and waits for it to stop. Reads the first service for its
 * launch type and network, and never writes to any service. Polls DescribeTasks, printing each status change.
 */
async function runOneOffTask(ecs, args, opts) {
    const sleep = opts.sleep ?? realSleep;
    const now = opts.now ?? Date.now;
    const started = now();
    const timeline = [];
    const print = (text) => {
        timeline.push({ at: new Date(now()), text });
        opts.log(text);
    };
    const { cluster } = args;
    let service;
    try {
        const out = await ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: [args.service] }));
        service = out.services?.[0];
    }
    catch (err) {
        throw refusal(err, `reading service '${args.service}'`, 'ecs:DescribeServices');
    }
    const request = runTaskRequest({ ...args, service });
    const rev = revisionName(args.taskDefinitionArn);
    const how = request.launchType ?? (request.capacityProviderStrategy ? 'capacity providers' : 'default');
    const cmd = request.overrides
        ? ` with command ${JSON.stringify(args.runTask.command)} in ${args.container}`
        : '';
    print(`Running a one-off task of ${rev} in cluster ${cluster} (launch type ${how})${cmd}`);
    let taskArn;
    try {
        const out = await ecs.send(new client_ecs_dist_cjs/* RunTaskCommand */._eD(request));
        const failure = out.failures?.[0];
        taskArn = out.tasks?.[0]?.taskArn;
        if (!taskArn) {
            const why = failure
                ? `${failure.reason ?? 'unknown'}${failure.detail ? `: ${failure.detail}` : ''}`
                : '';
            throw new errors/* UserError */.yo(`ECS did not start the one-off task of ${rev}: ${why || 'no task returned'}`);
        }
    }
    catch (err) {
        if (err instanceof errors/* UserError */.yo)
            throw err;
        throw refusal(err, `running a one-off task of ${rev}`, 'ecs:RunTask (and iam:PassRole)');
    }
    const id = taskId(taskArn);
    print(`one-off task ${id} started`);
    const deadline = started + opts.timeoutMinutes * 60_000;
    let lastStatus;
    for (;;) {
        let task;
        try {
            const out = await ecs.send(new client_ecs_dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: [taskArn] }));
            task = out.tasks?.[0];
        }
        catch (err) {
            // Throttling and 5xx: the next poll asks again; anything else ends the wait.
            if (classifyAwsError(err) !== 'transient') {
                throw refusal(err, `describing one-off task ${id}`, 'ecs:DescribeTasks');
            }
        }
        if (task?.lastStatus && task.lastStatus !== lastStatus) {
            lastStatus = task.lastStatus;
            print(`one-off task ${id}: ${lastStatus}`);
        }
        if (task?.lastStatus === 'STOPPED') {
            const verdict = taskOutcome(task, args.containers);
            for (const e of verdict.exits) {
                const code = e.exitCode === undefined
                    ? `did not run${e.reason ? `: ${e.reason}` : ''}`
                    : `exit code ${e.exitCode}`;
                print(`  ${e.container}${e.essential ? '' : ' (not essential)'}: ${code}`);
            }
            print(verdict.reason);
            return { taskArn, ...verdict, durationMs: Math.max(0, now() - started), timeline };
        }
        const remaining = deadline - now();
        if (remaining <= 0) {
            // Not stopped on purpose: killing a migration halfway is worse than leaving it to a person.
            const reason = `Timed out after ${opts.timeoutMinutes} min waiting for one-off task ${id} ` +
                `(last status ${lastStatus ?? 'unknown'}); it was not stopped and may still be running`;
            print(reason);
            return {
                taskArn,
                success: false,
                reason,
                exits: [],
                durationMs: Math.max(0, now() - started),
                timeline,
            };
        }
        await sleep(Math.min(Math.max(1, opts.pollSeconds * 1000), remaining));
    }
}

// EXTERNAL MODULE: ./src/failure.ts
var failure = __webpack_require__(1633);
;// CONCATENATED MODULE: ./src/deploy/strategy.ts

/**
 * ECS-native deployment strategies (ROLLING, BLUE_GREEN, LINEAR, CANARY) and which services CodeDeploy
 * deploys instead. Pure: the plan calls `checkStrategyPlan` on the services it described, the deploy stage
 * `deploymentConfigurationFor` before UpdateService, and the watcher `trafficLine` on each poll.
 */
/** The service's deployment controller; ECS when DescribeServices does not say. */
function controllerOf(service) {
    return service?.deploymentController?.type ?? 'ECS';
}
function isCodeDeploy(service) {
    return controllerOf(service) === 'CODE_DEPLOY';
}
const strategy_name = (service) => service.serviceName ?? service.serviceArn ?? '?';
/** The container and port CodeDeploy's AppSpec needs: the service's load balancer that names both. */
function loadBalancerInfo(service) {
    const lb = service.loadBalancers?.find((l) => l.containerName && l.containerPort !== undefined);
    return lb?.containerName && lb.containerPort !== undefined
        ? { containerName: lb.containerName, containerPort: lb.containerPort }
        : undefined;
}
/**
 * Read-only checks before the first write: a CODE_DEPLOY service needs the CodeDeploy inputs and a load
 * balancer naming a container and port, and takes no ECS strategy; CodeDeploy inputs need such a service.
 */
function checkStrategyPlan(services, inputs) {
    const codeDeploy = services.filter(isCodeDeploy);
    for (const service of codeDeploy) {
        const where = `Service '${strategy_name(service)}' uses the CODE_DEPLOY deployment controller`;
        if (inputs?.strategy !== undefined) {
            throw new errors/* UserError */.yo(`${where}: its strategy is the CodeDeploy deployment group's, so 'deployment-strategy' cannot apply. Leave it empty.`);
        }
        if (!inputs?.codeDeploy) {
            throw new errors/* UserError */.yo(`${where}: set 'codedeploy-application' and 'codedeploy-deployment-group'.`);
        }
        if (!loadBalancerInfo(service)) {
            throw new errors/* UserError */.yo(`${where}, but has no load balancer with a container name and port, which the AppSpec needs.`);
        }
    }
    if (inputs?.codeDeploy && codeDeploy.length === 0) {
        throw new errors/* UserError */.yo(`Input 'codedeploy-application' is set, but no service given uses the CODE_DEPLOY deployment controller.`);
    }
}
const STRATEGY_KEYS = [
    'strategy',
    'bakeTimeInMinutes',
    'linearConfiguration',
    'canaryConfiguration',
];
/**
 * The deploymentConfiguration UpdateService gets: the service's own (so breaker, alarms, percentages and
 * hooks survive) with the strategy and its settings from the inputs; a setting not given keeps the
 * service's. undefined = send none (no strategy input): the service rolls out as configured.
 */
function deploymentConfigurationFor(current, inputs) {
    const strategy = inputs?.strategy;
    if (strategy === undefined)
        return undefined;
    const out = { ...current };
    for (const key of STRATEGY_KEYS)
        delete out[key];
    out.strategy = strategy;
    if (strategy === 'ROLLING')
        return out;
    const bake = inputs?.bakeTimeMinutes ?? current?.bakeTimeInMinutes;
    if (bake !== undefined)
        out.bakeTimeInMinutes = bake;
    if (strategy === 'LINEAR') {
        const linear = { ...current?.linearConfiguration };
        if (inputs?.linear?.stepPercent !== undefined)
            linear.stepPercent = inputs.linear.stepPercent;
        if (inputs?.linear?.stepBakeMinutes !== undefined)
            linear.stepBakeTimeInMinutes = inputs.linear.stepBakeMinutes;
        if (Object.keys(linear).length > 0)
            out.linearConfiguration = linear;
    }
    if (strategy === 'CANARY') {
        const canary = { ...current?.canaryConfiguration };
        if (inputs?.canary?.percent !== undefined)
            canary.canaryPercent = inputs.canary.percent;
        if (inputs?.canary?.bakeMinutes !== undefined)
            canary.canaryBakeTimeInMinutes = inputs.canary.bakeMinutes;
        if (Object.keys(canary).length > 0)
            out.canaryConfiguration = canary;
    }
    return out;
}
const minutes = (n) => (n === undefined ? '?' : `${n} min`);
/** `CANARY: 10% for 1 min, then the rest; bake 1 min`, for the log line after UpdateService. */
function describeStrategy(cfg) {
    const strategy = cfg?.strategy ?? 'ROLLING';
    if (strategy === 'ROLLING')
        return 'ROLLING';
    const parts = [];
    if (strategy === 'LINEAR') {
        const l = cfg?.linearConfiguration;
        parts.push(`${l?.stepPercent ?? 'default'}% per step, ${minutes(l?.stepBakeTimeInMinutes)} between steps`);
    }
    if (strategy === 'CANARY') {
        const c = cfg?.canaryConfiguration;
        parts.push(`${c?.canaryPercent ?? 'default'}% for ${minutes(c?.canaryBakeTimeInMinutes)}, then the rest`);
    }
    if (cfg?.bakeTimeInMinutes !== undefined)
        parts.push(`bake ${minutes(cfg.bakeTimeInMinutes)}`);
    return parts.length > 0 ? `${strategy}: ${parts.join('; ')}` : strategy;
}
const pct = (n) => `${Math.round(n * 10) / 10}%`;
/**
 * `traffic: production 25% new / 75% old, test 100% new`, from the weights ECS requested on the service
 * deployment's revisions; undefined for a deployment without weights (ROLLING).
 */
function trafficLine(sd) {
    const target = sd.targetServiceRevision;
    const production = target?.requestedProductionTrafficWeight;
    const test = target?.requestedTestTrafficWeight;
    if (production === undefined && test === undefined)
        return undefined;
    const parts = [];
    if (production !== undefined)
        parts.push(`production ${pct(production)} new / ${pct(100 - production)} old`);
    if (test !== undefined)
        parts.push(`test ${pct(test)} new`);
    return `traffic: ${parts.join(', ')}`;
}

;// CONCATENATED MODULE: ./src/deploy/codedeploy.ts




/**
 * Services with the CODE_DEPLOY deployment controller: UpdateService cannot change their task definition, so
 * the step creates a CodeDeploy deployment whose AppSpec points at the new revision and polls GetDeployment
 * (and the deployment's ECS target for lifecycle events and traffic) until CodeDeploy's verdict. The SDK is
 * loaded only for such services.
 */
/** The AppSpec CodeDeploy's ECS blue/green deployment takes, as the JSON string CreateDeployment carries. */
function appSpecContent(taskDefinitionArn, service) {
    const lb = loadBalancerInfo(service);
    return JSON.stringify({
        version: '0.0',
        Resources: [
            {
                TargetService: {
                    Type: 'AWS::ECS::Service',
                    Properties: {
                        TaskDefinition: taskDefinitionArn,
                        LoadBalancerInfo: { ContainerName: lb?.containerName, ContainerPort: lb?.containerPort },
                    },
                },
            },
        ],
    });
}
/** CodeDeploy's verdict from GetDeployment. Pure. Ready = waiting for someone to reroute traffic: not done. */
function judgeCodeDeploy(info) {
    const id = info?.deploymentId ?? 'the CodeDeploy deployment';
    const error = info?.errorInformation;
    const why = error?.message ? `: ${error.code ? `${error.code}: ` : ''}${error.message}` : '';
    switch (info?.status) {
        case 'Succeeded':
            return { done: true, success: true, state: 'SUCCESSFUL', reason: `CodeDeploy reports ${id} Succeeded` };
        case 'Failed':
        case 'Stopped': {
            const rolledBack = info.rollbackInfo?.rollbackDeploymentId;
            const back = rolledBack ? `; CodeDeploy rolled back in ${rolledBack}` : '';
            return {
                done: true,
                success: false,
                state: 'FAILED',
                reason: `CodeDeploy deployment ${id} ${info.status}${why}${back}`,
            };
        }
        default:
            return { done: false };
    }
}
/**
 * One line per lifecycle event whose status changed (not for events still Pending when first seen), and
 * the task sets' traffic weights when they moved.
 */
class TargetTracker {
    events = new Map();
    weights = '';
    changes(target) {
        const lines = [];
        const ecs = target?.ecsTarget;
        for (const e of ecs?.lifecycleEvents ?? []) {
            const key = e.lifecycleEventName ?? '?';
            const status = e.status ?? '?';
            const before = this.events.get(key);
            if (before === status)
                continue;
            this.events.set(key, status);
            // CodeDeploy lists every event from the start, Pending: only a move says something.
            if (before === undefined && status === 'Pending')
                continue;
            const diag = e.diagnostics?.message ? `: ${e.diagnostics.message}` : '';
            lines.push(`lifecycle event ${key} ${status}${diag}`);
        }
        const sets = (ecs?.taskSetsInfo ?? [])
            .map((s) => `${s.taskSetLabel ?? s.identifer ?? '?'} ${s.trafficWeight ?? 0}%`)
            .join(', ');
        if (sets !== '' && sets !== this.weights)
            lines.push(`traffic: ${sets}`);
        this.weights = sets;
        return lines;
    }
}
/** Creates the deployment and watches it; never throws for a failed deployment (the result says so). */
async function deployWithCodeDeploy(args) {
    const sdk = await __webpack_require__.e(/* import() */ 507).then(__webpack_require__.t.bind(__webpack_require__, 7507, 19));
    const client = args.client ??
        new sdk.CodeDeployClient({ region: args.region, maxAttempts: 8, customUserAgent: 'ecs-ship/0.1.0' });
    const now = args.now ?? Date.now;
    const sleep = args.sleep ?? realSleep;
    const started = now();
    const timeline = [];
    const print = (text) => {
        const line = `[${String(Math.round((now() - started) / 1000)).padStart(4)}s] ${text}`;
        timeline.push({ at: new Date(now()), text: line });
        args.log(line);
    };
    const result = (state, success, reason, id) => {
        print(`${state}: ${reason}`);
        return {
            state,
            success,
            reason,
            serviceDeploymentArn: undefined,
            deploymentId: id,
            durationMs: now() - started,
            timeline,
        };
    };
    const rev = revisionName(args.taskDefinitionArn);
    let deploymentId;
    try {
        const created = await client.send(new sdk.CreateDeploymentCommand({
            applicationName: args.application,
            deploymentGroupName: args.deploymentGroup,
            description: `ecs-ship: ${rev}`,
            revision: {
                revisionType: 'AppSpecContent',
                appSpecContent: { content: appSpecContent(args.taskDefinitionArn, args.service) },
            },
        }));
        deploymentId = created.deploymentId;
    }
    catch (err) {
        return result('FAILED', false, `CodeDeploy refused the deployment of ${rev}: ${(0,failure/* failureLine */.P)(err)}`);
    }
    if (!deploymentId)
        return result('FAILED', false, 'CodeDeploy returned no deployment id');
    print(`CodeDeploy deployment ${deploymentId} of ${rev} created (application ${args.application}, ` +
        `group ${args.deploymentGroup}); polling every ${args.pollSeconds}s, timeout ${args.timeoutMinutes} min`);
    const tracker = new TargetTracker();
    const deadline = started + args.timeoutMinutes * 60_000;
    let lastStatus = '';
    let targetId;
    for (;;) {
        try {
            const info = (await client.send(new sdk.GetDeploymentCommand({ deploymentId }))).deploymentInfo;
            if (info?.status && info.status !== lastStatus)
                print(`CodeDeploy deployment ${info.status}`);
            lastStatus = info?.status ?? lastStatus;
            targetId ??= (await client.send(new sdk.ListDeploymentTargetsCommand({ deploymentId }))).targetIds?.[0];
            if (targetId) {
                const target = await client.send(new sdk.GetDeploymentTargetCommand({ deploymentId, targetId }));
                for (const line of tracker.changes(target.deploymentTarget))
                    print(line);
            }
            const verdict = judgeCodeDeploy(info);
            if (verdict.done)
                return result(verdict.state, verdict.success, verdict.reason, deploymentId);
        }
        catch (err) {
            return result('FAILED', false, `Watching CodeDeploy deployment ${deploymentId} failed: ${(0,failure/* failureLine */.P)(err)}`, deploymentId);
        }
        const remaining = deadline - now();
        if (remaining <= 0) {
            return result('TIMED_OUT', false, `Timed out after ${args.timeoutMinutes} min waiting for CodeDeploy deployment ${deploymentId} (${lastStatus || 'no status'})`, deploymentId);
        }
        await sleep(Math.min(args.pollSeconds * 1000, remaining));
    }
}

;// CONCATENATED MODULE: ./src/deploy/revisions.ts



/** `arn:…:task-definition/web:7` → { family: 'web', revision: 7 }; undefined for anything else. */
function parseRevision(arn) {
    const m = /([A-Za-z0-9_-]+):(\d+)$/.exec(revisionName(arn));
    return m ? { family: m[1], revision: Number(m[2]) } : undefined;
}
/**
 * Which ACTIVE revisions of `family` to deregister: all but the newest `keep`, and never one in use.
 * Pure. ListTaskDefinitions' familyPrefix is a prefix, so other families (`web-worker` for `web`) are
 * filtered out here, and the order is by revision number whatever order the API returned.
 */
function planCleanup(args) {
    const used = new Set([...args.inUse].map(revisionName));
    const ours = args.revisions
        .map((arn) => ({ arn, parsed: parseRevision(arn) }))
        .filter((r) => r.parsed?.family === args.family)
        .sort((a, b) => (b.parsed?.revision ?? 0) - (a.parsed?.revision ?? 0));
    const plan = { keep: [], remove: [] };
    ours.forEach((r, i) => {
        if (i < args.keep || used.has(revisionName(r.arn)))
            plan.keep.push(r.arn);
        else
            plan.remove.push(r.arn);
    });
    return plan;
}
async function activeRevisions(ecs, family) {
    const arns = [];
    let nextToken;
    do {
        const out = await ecs.send(new client_ecs_dist_cjs/* ListTaskDefinitionsCommand */.Pse({
            familyPrefix: family,
            status: 'ACTIVE',
            sort: 'DESC',
            ...(nextToken ? { nextToken } : {}),
        }));
        arns.push(...(out.taskDefinitionArns ?? []));
        nextToken = out.nextToken;
    } while (nextToken);
    return arns;
}
/** Every revision a service of the cluster runs or still drains (all deployments, not only PRIMARY). */
async function revisionsInUse(ecs, cluster) {
    const services = [];
    let nextToken;
    do {
        const out = await ecs.send(new client_ecs_dist_cjs/* ListServicesCommand */.qde({ cluster, ...(nextToken ? { nextToken } : {}) }));
        services.push(...(out.serviceArns ?? []));
        nextToken = out.nextToken;
    } while (nextToken);
    const used = new Set();
    for (let i = 0; i < services.length; i += 10) {
        const out = await ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: services.slice(i, i + 10) }));
        for (const s of out.services ?? []) {
            if (s.taskDefinition)
                used.add(s.taskDefinition);
            for (const d of s.deployments ?? [])
                if (d.taskDefinition)
                    used.add(d.taskDefinition);
        }
    }
    return used;
}
function problem(what, err) {
    return `${what}: ${errorName(err)}: ${err instanceof Error ? err.message : String(err)}`;
}
/**
 * Deregisters old ACTIVE revisions of `family` after a successful deploy, keeping the newest `keep` and
 * every revision a service in `cluster` uses. Services in other clusters are not seen. Never throws: what
 * fails becomes a warning, and when the services cannot be listed nothing is deregistered at all.
 */
async function cleanupRevisions(ecs, args, log) {
    const result = { deregistered: [], kept: [], warnings: [] };
    let plan;
    try {
        const [revisions, inUse] = await Promise.all([
            activeRevisions(ecs, args.family),
            revisionsInUse(ecs, args.cluster),
        ]);
        plan = planCleanup({ family: args.family, revisions, keep: args.keep, inUse });
    }
    catch (err) {
        result.warnings.push(problem('Revision cleanup skipped, nothing deregistered', err));
        return result;
    }
    result.kept = plan.keep;
    log(`Keeping ${plan.keep.map(revisionName).join(', ') || 'nothing'} ` +
        `(newest ${args.keep}, and any a service in cluster ${args.cluster} uses)`);
    for (const arn of plan.remove) {
        try {
            await ecs.send(new client_ecs_dist_cjs/* DeregisterTaskDefinitionCommand */.sjB({ taskDefinition: arn }));
            result.deregistered.push(arn);
            log(`Deregistered ${revisionName(arn)}`);
        }
        catch (err) {
            result.warnings.push(problem(`Could not deregister ${revisionName(arn)}`, err));
        }
    }
    if (plan.remove.length === 0)
        log(`No revision of ${args.family} to deregister`);
    return result;
}

;// CONCATENATED MODULE: ./src/deploy/changes.ts


/** `web:7` → `rev 7` for our family, `other:3` stays whole so a foreign deployment stands out. */
function shortRevision(taskDefinition, target) {
    const name = revisionName(taskDefinition);
    const ours = revisionName(target.taskDefinitionArn);
    const family = (s) => s.slice(0, s.lastIndexOf(':'));
    if (name.includes(':') && family(name) === family(ours))
        return `rev ${name.slice(name.lastIndexOf(':') + 1)}`;
    return name;
}
function deploymentLine(d, target) {
    const mine = sameTaskDefinition(d.taskDefinition, target.taskDefinitionArn) ? ' (new)' : '';
    return [
        `${d.status ?? '?'} ${shortRevision(d.taskDefinition, target)}${mine}`,
        `running ${d.runningCount ?? 0}/${d.desiredCount ?? 0}`,
        `pending ${d.pendingCount ?? 0}`,
        `failed ${d.failedTasks ?? 0}`,
        d.rolloutState ?? '',
    ]
        .join('  ')
        .trimEnd();
}
function serviceDeploymentLine(sd) {
    const parts = [`service deployment ${sd.status ?? '?'}`];
    if (sd.lifecycleStage)
        parts.push(`stage ${sd.lifecycleStage}`);
    // BLUE_GREEN, LINEAR, CANARY: where the traffic is (strategy.ts); nothing for ROLLING.
    const traffic = trafficLine(sd);
    if (traffic)
        parts.push(traffic);
    const cb = sd.deploymentCircuitBreaker;
    if (cb && cb.status !== 'DISABLED' && (cb.failureCount ?? 0) > 0) {
        parts.push(`circuit breaker ${cb.failureCount}/${cb.threshold ?? '?'} failed tasks`);
    }
    const alarms = sd.alarms?.triggeredAlarmNames ?? [];
    if (alarms.length > 0)
        parts.push(`alarms triggered: ${alarms.join(', ')}`);
    if (sd.statusReason)
        parts.push(sd.statusReason);
    return parts.join(', ');
}
function stoppedTaskLine(task) {
    const details = [];
    for (const c of task.containers ?? []) {
        if (c.exitCode !== undefined)
            details.push(`container ${c.name ?? '?'} exit ${c.exitCode}`);
        else if (c.reason && c.reason !== task.stoppedReason)
            details.push(`container ${c.name ?? '?'}: ${c.reason}`);
        if (c.healthStatus === 'UNHEALTHY')
            details.push(`container ${c.name ?? '?'} UNHEALTHY`);
    }
    const head = `task ${taskId(task.taskArn)} stopped: ${task.stoppedReason ?? 'no reason given'}`;
    return [head, ...details].join('; ');
}
/**
 * Remembers what was already printed so each poll prints only what is new: events, stopped tasks, and
 * deployment lines that changed (`changes`, which also make the summary's timeline). `unchanged` gives the
 * other deployment lines, so every poll shows one line per deployment and a long wait is never silent. Deterministic and free of
 * I/O, so a sequence of snapshots can be table-tested into the lines a user would see.
 */
class ChangeTracker {
    target;
    eventIds = new Set();
    deploymentLines = new Map();
    lastServiceDeploymentLine;
    constructor(target) {
        this.target = target;
    }
    /** Lines for this poll: new events (oldest first), changed deployments, newly stopped tasks. */
    changes(snapshot, newlyStopped) {
        const lines = [];
        const since = this.target.startedAt.getTime();
        const events = (snapshot.service?.events ?? [])
            .filter((e) => e.id && !this.eventIds.has(e.id) && (e.createdAt?.getTime() ?? 0) >= since)
            .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
        for (const e of events) {
            this.eventIds.add(e.id ?? '');
            lines.push(e.message ?? '');
        }
        if (snapshot.serviceDeployment) {
            const line = serviceDeploymentLine(snapshot.serviceDeployment);
            if (line !== this.lastServiceDeploymentLine)
                lines.push(line);
            this.lastServiceDeploymentLine = line;
        }
        for (const d of snapshot.service?.deployments ?? []) {
            const key = d.id ?? d.taskDefinition ?? '?';
            const line = deploymentLine(d, this.target);
            if (this.deploymentLines.get(key) !== line)
                lines.push(line);
            this.deploymentLines.set(key, line);
        }
        for (const task of newlyStopped)
            lines.push(stoppedTaskLine(task));
        return lines;
    }
    /** The deployment lines `changes` left out because they are the same as last poll. */
    unchanged(snapshot, changed) {
        return (snapshot.service?.deployments ?? [])
            .map((d) => deploymentLine(d, this.target))
            .filter((line) => !changed.includes(line));
    }
}

;// CONCATENATED MODULE: ./src/deploy/snapshot-reader.ts



// ECS timestamps come from AWS's clock, startedAt from the runner's; allow for drift between them.
const CLOCK_SKEW_MS = 5 * 60_000;
const CALL_TIMEOUT_MS = 30_000;
/** An ECS call that failed, with the IAM action it needed so the verdict can name it. */
class CallError extends Error {
    action;
    cause;
    constructor(action, cause) {
        super(`${action}: ${cause instanceof Error ? cause.message : String(cause)}`);
        this.action = action;
        this.cause = cause;
    }
}
function serviceName(service) {
    // ListTasks wants a bare name; the input may be a service ARN (…:service/cluster/name).
    return service.slice(service.lastIndexOf('/') + 1);
}
/**
 * Reads what ECS says about one rollout, a Snapshot per poll. It keeps what must survive between polls:
 * which service deployment is ours, the stopped tasks already reported, the revisions already described.
 */
class SnapshotReader {
    ecs;
    target;
    print;
    seenTasks = new Set();
    stoppedTasks = [];
    revisionTaskDefs = new Map();
    sdMode = 'search';
    sdArn;
    constructor(ecs, target, 
    /** For what the reader finds out once: which service deployment it follows, or that it cannot. */
    print) {
        this.ecs = ecs;
        this.target = target;
        this.print = print;
        if (target.serviceDeploymentArn) {
            this.sdMode = 'follow';
            this.sdArn = target.serviceDeploymentArn;
        }
    }
    /** The service deployment followed, once found. */
    get serviceDeploymentArn() {
        return this.sdArn;
    }
    /** Before the first poll answers: nothing seen, but the stopped tasks collected so far all the same. */
    empty() {
        return { service: undefined, serviceDeployment: undefined, stoppedTasks: this.stoppedTasks };
    }
    /** One poll; `newly` = the stopped tasks of ours this poll saw first. Throws CallError. */
    async read() {
        const service = await this.describeService();
        // A deleted service is a verdict already; its deployments and tasks add nothing.
        const serviceDeployment = service ? await this.serviceDeployment() : undefined;
        const newly = service ? await this.newlyStoppedTasks() : [];
        return { snapshot: { service, serviceDeployment, stoppedTasks: this.stoppedTasks }, newly };
    }
    // The operation is named here, not read from the command's class name, which a minifier may mangle.
    // Each call gets its own time limit so one hung connection cannot hold the watch past its timeout.
    async call(operation, send) {
        try {
            return await send(AbortSignal.timeout(CALL_TIMEOUT_MS));
        }
        catch (err) {
            throw new CallError(iamAction(operation), err);
        }
    }
    async describeService() {
        const cmd = new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({
            cluster: this.target.cluster,
            services: [this.target.service],
        });
        const out = await this.call('DescribeServices', (abortSignal) => this.ecs.send(cmd, { abortSignal }));
        // A missing service is a `failures` entry (reason MISSING), not an exception.
        return out.services?.[0];
    }
    /** Which of the recent service deployments targets our task definition, newest first. */
    async findServiceDeployment() {
        const list = new client_ecs_dist_cjs/* ListServiceDeploymentsCommand */.jz8({
            cluster: this.target.cluster,
            service: this.target.service,
            createdAt: { after: new Date(this.target.startedAt.getTime() - CLOCK_SKEW_MS) },
        });
        const found = await this.call('ListServiceDeployments', (abortSignal) => this.ecs.send(list, { abortSignal }));
        const briefs = [...(found.serviceDeployments ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
        const unknown = [
            ...new Set(briefs.map((b) => b.targetServiceRevisionArn).filter((a) => !!a)),
        ].filter((arn) => !this.revisionTaskDefs.has(arn));
        for (let i = 0; i < unknown.length; i += 20) {
            const cmd = new client_ecs_dist_cjs/* DescribeServiceRevisionsCommand */.oF5({ serviceRevisionArns: unknown.slice(i, i + 20) });
            const out = await this.call('DescribeServiceRevisions', (abortSignal) => this.ecs.send(cmd, { abortSignal }));
            for (const rev of out.serviceRevisions ?? []) {
                if (rev.serviceRevisionArn)
                    this.revisionTaskDefs.set(rev.serviceRevisionArn, rev.taskDefinition);
            }
        }
        const ours = briefs.find((b) => sameTaskDefinition(this.revisionTaskDefs.get(b.targetServiceRevisionArn ?? ''), this.target.taskDefinitionArn));
        return ours?.serviceDeploymentArn;
    }
    async serviceDeployment() {
        if (this.sdMode === 'search') {
            try {
                this.sdArn = await this.findServiceDeployment();
            }
            catch (err) {
                const kind = err instanceof CallError ? classifyAwsError(err.cause) : 'fatal';
                const optional = err instanceof CallError && err.action === 'ecs:ListServiceDeployments';
                if (kind === 'unavailable' || (kind === 'denied' && optional)) {
                    this.sdMode = 'off';
                    const why = err instanceof CallError ? `${err.action}: ${errorName(err.cause)}` : errorName(err);
                    this.print(`service deployments are not available (${why}); judging from the service's deployments`);
                    return undefined;
                }
                throw err;
            }
            if (!this.sdArn)
                return undefined;
            this.sdMode = 'follow';
            this.print(`following service deployment ${this.sdArn}`);
        }
        if (this.sdMode !== 'follow' || !this.sdArn)
            return undefined;
        const cmd = new client_ecs_dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: [this.sdArn] });
        const out = await this.call('DescribeServiceDeployments', (abortSignal) => this.ecs.send(cmd, { abortSignal }));
        return out.serviceDeployments?.[0];
    }
    /** Stopped tasks of our revision not reported before. */
    async newlyStoppedTasks() {
        const list = new client_ecs_dist_cjs/* ListTasksCommand */.MYg({
            cluster: this.target.cluster,
            serviceName: serviceName(this.target.service),
            desiredStatus: 'STOPPED',
            maxResults: 100,
        });
        const arns = ((await this.call('ListTasks', (abortSignal) => this.ecs.send(list, { abortSignal }))).taskArns ?? []).filter((arn) => !this.seenTasks.has(arn));
        const fresh = [];
        const since = this.target.startedAt.getTime() - CLOCK_SKEW_MS;
        for (let i = 0; i < arns.length; i += 100) {
            const cmd = new client_ecs_dist_cjs/* DescribeTasksCommand */.z8X({ cluster: this.target.cluster, tasks: arns.slice(i, i + 100) });
            const out = await this.call('DescribeTasks', (abortSignal) => this.ecs.send(cmd, { abortSignal }));
            for (const task of out.tasks ?? []) {
                // A task still stopping has no exit codes yet: look again next poll.
                if (!task.taskArn || task.lastStatus !== 'STOPPED')
                    continue;
                this.seenTasks.add(task.taskArn);
                const when = (task.stoppedAt ?? task.stoppingAt ?? task.createdAt)?.getTime() ?? Infinity;
                if (sameTaskDefinition(task.taskDefinitionArn, this.target.taskDefinitionArn) && when >= since) {
                    fresh.push(task);
                }
            }
        }
        this.stoppedTasks.push(...fresh);
        return fresh;
    }
}

;// CONCATENATED MODULE: ./src/deploy/watch.ts







const MAX_BACKOFF_MS = 30_000;
function elapsed(ms) {
    return `[${String(Math.max(0, Math.round(ms / 1000))).padStart(4)}s]`;
}
class Watcher {
    target;
    opts;
    sleep;
    now;
    tracker;
    reader;
    timeline = [];
    constructor(ecs, target, opts) {
        this.target = target;
        this.opts = opts;
        this.sleep = opts.sleep ?? realSleep;
        this.now = opts.now ?? Date.now;
        this.tracker = new ChangeTracker(target);
        this.reader = new SnapshotReader(ecs, target, (text) => this.print(text));
    }
    /** `news` = false for the per-poll repeat of an unchanged deployment line: logged, not in the timeline. */
    print(text, news = true) {
        const at = this.now();
        const line = `${elapsed(at - this.target.startedAt.getTime())} ${text}`;
        if (news)
            this.timeline.push({ at: new Date(at), text: line });
        this.opts.log(line);
    }
    result(state, success, reason, snapshot, extra = {}) {
        return {
            ...extra,
            state,
            success,
            reason,
            serviceDeploymentArn: this.reader.serviceDeploymentArn,
            deploymentId: this.target.deploymentId ?? ourDeployment(snapshot.service, this.target)?.id,
            durationMs: Math.max(0, this.now() - this.target.startedAt.getTime()),
            timeline: this.timeline,
        };
    }
    verdictForError(err) {
        const action = err instanceof CallError ? err.action : 'ecs';
        const cause = err instanceof CallError ? err.cause : err;
        const detail = `${errorName(cause)}: ${cause instanceof Error ? cause.message : String(cause)}`;
        switch (classifyAwsError(cause)) {
            case 'transient':
                return 'retry';
            case 'denied':
                return failed(`Access denied for ${action}: allow it in the deploy role's IAM policy (${detail})`);
            case 'not-found':
                return failed(`Service ${this.target.service} in cluster ${this.target.cluster} not found (${detail})`);
            default:
                return failed(`${action} failed: ${detail}`);
        }
    }
    async run() {
        const pollMs = Math.max(1, this.opts.pollSeconds * 1000);
        const deadline = this.now() + this.opts.timeoutMinutes * 60_000;
        const rev = revisionName(this.target.taskDefinitionArn);
        this.print(`watching ${rev} roll out on ${this.target.service} (cluster ${this.target.cluster}); ` +
            `polling every ${this.opts.pollSeconds}s, timeout ${this.opts.timeoutMinutes} min`);
        let last = this.reader.empty();
        let polled = false;
        let failures = 0;
        let lastError;
        for (;;) {
            let verdict;
            try {
                const { snapshot, newly } = await this.reader.read();
                last = snapshot;
                polled = true;
                failures = 0;
                lastError = undefined;
                const changed = this.tracker.changes(last, newly);
                for (const line of changed)
                    this.print(line);
                for (const line of this.tracker.unchanged(last, changed))
                    this.print(line, false);
                verdict = judge(last, this.target);
            }
            catch (err) {
                const v = this.verdictForError(err);
                if (v === 'retry') {
                    failures++;
                    lastError = err instanceof CallError ? `${errorName(err.cause)} on ${err.action}` : errorName(err);
                    verdict = { done: false };
                }
                else {
                    verdict = v;
                }
            }
            if (verdict.done) {
                this.print(`${verdict.state}: ${verdict.reason}`);
                const extra = {
                    ...(verdict.rollback ? { rollback: verdict.rollback } : {}),
                    ...(verdict.rolledBackTo ? { rolledBackTo: verdict.rolledBackTo } : {}),
                };
                return this.result(verdict.state, verdict.success, verdict.reason, last, extra);
            }
            const remaining = deadline - this.now();
            if (remaining <= 0) {
                const pending = polled ? describePending(last, this.target) : 'ECS never answered';
                const reason = `Timed out after ${this.opts.timeoutMinutes} min waiting for ${rev}: ${pending}` +
                    (lastError ? `; last error: ${lastError}` : '');
                this.print(`TIMED_OUT: ${reason}`);
                // A rollout that did not finish in the time the user allowed is undone like a failed one.
                return this.result('TIMED_OUT', false, reason, last, { rollback: 'ours' });
            }
            let delay = pollMs;
            if (failures > 0) {
                delay = Math.min(pollMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, pollMs));
                this.print(`${lastError ?? 'error'}; retrying in ${Math.round(delay / 100) / 10}s`);
            }
            await this.sleep(Math.min(delay, remaining));
        }
    }
}
/**
 * Polls ECS every few seconds and ends on ECS's own verdict (see judge.ts), printing only what changed.
 * Never the SDK waiter: it backs off to minutes, calls a circuit-breaker rollback "stable", and retries
 * AccessDenied until its timeout.
 */
function watchRollout(ecs, target, opts) {
    return new Watcher(ecs, target, opts).run();
}

;// CONCATENATED MODULE: ./src/deploy/rollback.ts




/**
 * The revision to go back to: the newest other deployment that once completed (what ran before), else the
 * newest other one. Pure.
 */
function previousRevision(service, target) {
    const others = (service?.deployments ?? [])
        .filter((d) => !sameTaskDefinition(d.taskDefinition, target.taskDefinitionArn))
        .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    return (others.find((d) => d.rolloutState === 'COMPLETED') ?? others[0])?.taskDefinition;
}
function message(err) {
    return `${errorName(err)}: ${(err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ')}`;
}
/** When the old deployment is already gone from the service: the source revision of our service deployment. */
async function sourceRevision(ecs, serviceDeploymentArn) {
    const out = await ecs.send(new client_ecs_dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: [serviceDeploymentArn] }));
    const arn = out.serviceDeployments?.[0]?.sourceServiceRevisions?.[0]?.arn;
    if (!arn)
        return undefined;
    const revs = await ecs.send(new client_ecs_dist_cjs/* DescribeServiceRevisionsCommand */.oF5({ serviceRevisionArns: [arn] }));
    return revs.serviceRevisions?.[0]?.taskDefinition;
}
/**
 * Starts the return to `previous`: StopServiceDeployment(ROLLBACK) on our service deployment where ECS
 * offers it (ECS keeps the history straight: ROLLBACK_SUCCESSFUL), else UpdateService to `previous`.
 * Returns how, and the deployment id UpdateService started, if that was the way.
 */
async function startRollback(ecs, target, failed, previous, log) {
    if (failed.serviceDeploymentArn) {
        try {
            await ecs.send(new client_ecs_dist_cjs/* StopServiceDeploymentCommand */.a8L({
                serviceDeploymentArn: failed.serviceDeploymentArn,
                stopType: 'ROLLBACK',
            }));
            return { via: 'StopServiceDeployment (ROLLBACK)', deploymentId: undefined };
        }
        catch (err) {
            // Not offered here, not allowed (IAM), or the deployment is already over (the breaker stopped it):
            // UpdateService, which the step is allowed to call, does the same from the outside.
            log(`StopServiceDeployment was not possible (${message(err)}); rolling back with UpdateService`);
        }
    }
    const out = await ecs.send(new client_ecs_dist_cjs/* UpdateServiceCommand */.kZr({ cluster: target.cluster, service: target.service, taskDefinition: previous }));
    const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY' && sameTaskDefinition(d.taskDefinition, previous));
    return { via: 'UpdateService', deploymentId: primary?.id };
}
/**
 * Called after a watch that did not succeed. Undoes what ECS did not: with `auto`, a failed or timed-out
 * rollout ECS is not rolling back returns the service to the revision it ran before, and the watch goes on
 * until it is back (or that fails too); a rollback ECS already started is waited for. Returns the result
 * the outputs and the summary show: `ROLLED_BACK` with `rolledBackTo` when the service is back.
 */
async function rollBackIfNeeded(ecs, target, failed, opts) {
    const { log } = opts;
    const now = opts.now ?? Date.now;
    if (failed.success || failed.state === 'ROLLED_BACK' || !failed.rollback)
        return failed;
    if (opts.mode === 'false') {
        log(`rollback: false, so the service is left as the rollout left it`);
        return failed;
    }
    let service;
    let previous;
    let via;
    let deploymentId;
    // ECS's rollback, and StopServiceDeployment's, happen on our own service deployment.
    let onOurs = failed.rollback === 'ecs';
    const startedAt = new Date(now());
    try {
        service = (await ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster: target.cluster, services: [target.service] }))).services?.[0];
        if (failed.rollback === 'ecs') {
            // ECS is already going back: its PRIMARY is the revision it chose. Wait for it, do not race it.
            previous = service?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;
            via = "ECS's own rollback";
        }
        else {
            previous =
                previousRevision(service, target) ??
                    (failed.serviceDeploymentArn ? await sourceRevision(ecs, failed.serviceDeploymentArn) : undefined);
            if (!previous) {
                log('rollback: no previous revision to return to; the service is left as it is');
                return failed;
            }
            log(`rolling back: returning ${target.service} to ${revisionName(previous)}`);
            ({ via, deploymentId } = await startRollback(ecs, target, failed, previous, log));
            onOurs = deploymentId === undefined && via !== 'UpdateService';
        }
    }
    catch (err) {
        const why = classifyAwsError(err) === 'denied' ? `access denied (${message(err)})` : message(err);
        log(`rollback could not start: ${why}`);
        return { ...failed, reason: `${failed.reason}. Rolling back could not start: ${why}` };
    }
    if (!previous || sameTaskDefinition(previous, target.taskDefinitionArn))
        return failed;
    log(`waiting for ${target.service} to run ${revisionName(previous)} again (${via})`);
    const followed = onOurs && failed.serviceDeploymentArn;
    const back = await watchRollout(ecs, {
        cluster: target.cluster,
        service: target.service,
        taskDefinitionArn: previous,
        startedAt,
        deploymentId,
        ...(followed ? { serviceDeploymentArn: followed, rollingBack: true } : {}),
    }, opts);
    const merged = {
        ...failed,
        durationMs: failed.durationMs + back.durationMs,
        timeline: [...failed.timeline, ...back.timeline],
    };
    if (!back.success) {
        return {
            ...merged,
            state: 'FAILED',
            reason: `${failed.reason}. Rolling back to ${revisionName(previous)} failed too: ${back.reason}`,
        };
    }
    const who = failed.rollback === 'ecs' ? 'ECS rolled' : `ecs-ship rolled (via ${via})`;
    return {
        ...merged,
        state: 'ROLLED_BACK',
        reason: `${failed.reason}. ${who} the service back to ${revisionName(previous)}`,
        rolledBackTo: previous,
    };
}

;// CONCATENATED MODULE: ./src/deploy/update.ts




/**
 * Points the service at our task definition. The clock is read before the call so the watcher can
 * tell our deployment and events from older ones.
 */
async function updateService(ecs, args) {
    const startedAt = new Date();
    let out;
    try {
        out = await ecs.send(new client_ecs_dist_cjs/* UpdateServiceCommand */.kZr({
            cluster: args.cluster,
            service: args.service,
            taskDefinition: args.taskDefinitionArn,
            ...(args.desiredCount === undefined ? {} : { desiredCount: args.desiredCount }),
            ...(args.forceNewDeployment ? { forceNewDeployment: true } : {}),
            ...(args.deploymentConfiguration ? { deploymentConfiguration: args.deploymentConfiguration } : {}),
        }));
    }
    catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
        const where = `service '${args.service}' in cluster '${args.cluster}'`;
        switch (classifyAwsError(err)) {
            case 'transient':
                throw err;
            case 'denied':
                throw new errors/* UserError */.yo(`Access denied updating ${where}: allow ecs:UpdateService (${message})`);
            case 'not-found':
                throw new errors/* UserError */.yo(`Cannot update ${where}: ${errorName(err)}: ${message}`);
            default:
                throw new errors/* UserError */.yo(`ECS refused to update ${where}: ${errorName(err)}: ${message}`);
        }
    }
    const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY' && sameTaskDefinition(d.taskDefinition, args.taskDefinitionArn));
    return {
        cluster: args.cluster,
        service: args.service,
        taskDefinitionArn: args.taskDefinitionArn,
        startedAt,
        deploymentId: primary?.id,
    };
}

;// CONCATENATED MODULE: ./src/deploy/stage.ts









// Worst first: the output `rollout-state` is the worst state of all services.
const SEVERITY = [
    'NOT_STARTED',
    'FAILED',
    'ROLLED_BACK',
    'TIMED_OUT',
    'SUCCESSFUL',
    'NOT_WAITED',
];
function worstState(states) {
    const ranked = [...states].sort((a, b) => SEVERITY.indexOf(a) - SEVERITY.indexOf(b));
    return ranked[0] ?? 'NOT_WAITED';
}
/** The step's error line: as before for one service; for several, each failed service with its reason. */
function failureSummary(services) {
    const failed = services.filter((s) => !s.success);
    if (failed.length === 0)
        return undefined;
    if (services.length === 1)
        return `Rollout ${failed[0]?.state}: ${failed[0]?.reason}`;
    const each = failed.map((s) => `${s.service} ${s.state}: ${s.reason}`).join('; ');
    return `Rollout failed on ${failed.length} of ${services.length} services: ${each}`;
}
/** What the `rollouts` output holds: one object per service, for later steps to read with fromJSON. */
function rolloutsJson(services) {
    return JSON.stringify(services.map((s) => ({
        service: s.service,
        state: s.state,
        reason: s.reason,
        deploymentId: s.deploymentId ?? null,
        serviceDeploymentArn: s.rollout?.serviceDeploymentArn ?? null,
        durationMs: s.rollout?.durationMs ?? null,
    })));
}
/** After a failed watch: rollback.ts undoes what ECS did not (input `rollback`), and says so in the result. */
async function afterFailedWatch(ecs, target, rollout, log, inputs) {
    const { rollback: mode, pollSeconds, timeoutMinutes } = inputs;
    return rollBackIfNeeded(ecs, target, rollout, { mode, pollSeconds, timeoutMinutes, log });
}
/** A CODE_DEPLOY service: a CodeDeploy deployment instead of UpdateService (codedeploy.ts). */
async function deployCodeDeployService(ecs, inputs, described, codeDeploy, taskDefinitionArn, log) {
    const service = described.serviceName ?? '';
    const rollout = await deployWithCodeDeploy({
        region: await ecs.config.region(),
        cluster: inputs.cluster,
        service: described,
        taskDefinitionArn,
        application: codeDeploy.application,
        deploymentGroup: codeDeploy.deploymentGroup,
        pollSeconds: inputs.pollSeconds,
        timeoutMinutes: inputs.timeoutMinutes,
        log,
    });
    const { state, success, reason, deploymentId } = rollout;
    return { service, state, success, reason, deploymentId, rollout };
}
async function deployService(ecs, inputs, service, taskDefinitionArn, log, strategy) {
    const { cluster, wait, pollSeconds, timeoutMinutes, desiredCount, forceNewDeployment } = inputs;
    const codeDeploy = strategy.inputs?.codeDeploy;
    if (strategy.described && isCodeDeploy(strategy.described) && codeDeploy) {
        return deployCodeDeployService(ecs, inputs, strategy.described, codeDeploy, taskDefinitionArn, log);
    }
    const deploymentConfiguration = deploymentConfigurationFor(strategy.described?.deploymentConfiguration, strategy.inputs);
    let target;
    try {
        target = await updateService(ecs, {
            cluster,
            service,
            taskDefinitionArn,
            desiredCount,
            forceNewDeployment,
            deploymentConfiguration,
        });
    }
    catch (err) {
        const reason = (0,failure/* failureLine */.P)(err);
        log(`UpdateService failed: ${reason}`);
        return { service, state: 'FAILED', success: false, reason, deploymentId: undefined, rollout: undefined };
    }
    const count = desiredCount === undefined ? '' : `, desired count ${desiredCount}`;
    const forced = forceNewDeployment ? ', forced new deployment' : '';
    const how = deploymentConfiguration ? `, strategy ${describeStrategy(deploymentConfiguration)}` : '';
    log(`Updated service ${service} in cluster ${cluster}${count}${forced}${how}: deployment ${target.deploymentId ?? '(id not reported)'}`);
    if (!wait) {
        return {
            service,
            state: 'NOT_WAITED',
            success: true,
            reason: 'rollout not watched',
            deploymentId: target.deploymentId,
            rollout: undefined,
        };
    }
    let rollout = await watchRollout(ecs, target, { pollSeconds, timeoutMinutes, log });
    if (!rollout.success)
        rollout = await afterFailedWatch(ecs, target, rollout, log, inputs);
    return {
        service,
        state: rollout.state,
        success: rollout.success,
        reason: rollout.reason,
        deploymentId: rollout.deploymentId ?? target.deploymentId,
        rollout,
    };
}
function setDeployOutputs(outcome) {
    core/* setOutput */.uH('deployment-id', outcome.services[0]?.deploymentId ?? '');
    core/* setOutput */.uH('rollout-state', outcome.state);
    const rolledBack = outcome.services.map((s) => s.rollout?.rolledBackTo).filter((arn) => arn !== undefined);
    core/* setOutput */.uH('rolled-back-to', rolledBack.join('\n'));
    core/* setOutput */.uH('rollouts', rolloutsJson(outcome.services));
}
/**
 * The deploy stage: the one-off task (if asked; a failure ends the step before any service is touched),
 * then every service updated to the same revision and watched side by side, then revision cleanup once all
 * succeeded. Never throws for a failed rollout: the outcome says so, so the summary is still written.
 */
async function deployStage(ecs, inputs, revision, log, strategy = { inputs: undefined, described: [] }) {
    const { cluster, services, pollSeconds, timeoutMinutes } = inputs;
    let runTask;
    if (inputs.runTask) {
        // Not in a group, like the rollout: a migration is something people watch live.
        runTask = await runOneOffTask(ecs, {
            cluster,
            service: inputs.service,
            taskDefinitionArn: revision.arn,
            runTask: inputs.runTask,
            container: revision.runTaskContainer,
            containers: revision.containers,
        }, { pollSeconds, timeoutMinutes, log });
        core/* setOutput */.uH('run-task-arn', runTask.taskArn ?? '');
        const failed = runTask.exits.find((e) => e.essential && e.exitCode !== 0);
        const code = failed ? failed.exitCode : runTask.success ? 0 : undefined;
        core/* setOutput */.uH('run-task-exit-code', code === undefined ? '' : String(code));
        if (!runTask.success) {
            const outcome = {
                runTask,
                services: [],
                cleanup: undefined,
                state: 'NOT_STARTED',
                success: false,
                failure: `${runTask.reason}. No service was updated.`,
            };
            setDeployOutputs(outcome);
            return outcome;
        }
    }
    // One watcher per service, concurrently; with several, each line says which service it is about.
    const prefixed = (service) => services.length > 1 ? (line) => log(`[${service}] ${line}`) : log;
    const outcomes = await Promise.all(services.map((s, i) => deployService(ecs, inputs, s, revision.arn, prefixed(s), {
        inputs: strategy.inputs,
        described: strategy.described[i],
    })));
    const failure = failureSummary(outcomes);
    const state = worstState(outcomes.map((o) => o.state));
    let cleanup;
    if (inputs.keepRevisions > 0 && failure === undefined) {
        if (!inputs.wait) {
            log(`keep-revisions: skipped, the rollout was not watched (wait: false), so its success is unknown`);
        }
        else {
            const family = parseRevision(revision.arn)?.family ?? '';
            cleanup = await core/* group */.Os(`Clean up revisions of ${family}`, () => cleanupRevisions(ecs, { cluster, family, keep: inputs.keepRevisions }, log));
            for (const w of cleanup.warnings)
                core/* warning */.$e(w);
            core/* setOutput */.uH('deregistered-task-definitions', cleanup.deregistered.join('\n'));
        }
    }
    const outcome = {
        runTask,
        services: outcomes,
        cleanup,
        state,
        success: failure === undefined,
        failure,
    };
    setDeployOutputs(outcome);
    return outcome;
}

// EXTERNAL MODULE: ./src/inputs/registry.ts
var registry = __webpack_require__(5470);
;// CONCATENATED MODULE: ./src/image/ecr/scan.ts




const WAITING = ['PENDING', 'IN_PROGRESS'];
// COMPLETE is basic scanning's result; ACTIVE is enhanced (Inspector) scanning's, which keeps rescanning.
const JUDGED = ['COMPLETE', 'ACTIVE'];
/** Pure: findings at or above the threshold. UNDEFINED / UNTRIAGED severities have no rank and do not count. */
function blockingCount(counts, threshold) {
    const from = registry/* SEVERITIES */.oC.indexOf(threshold);
    return registry/* SEVERITIES */.oC.slice(from).reduce((n, s) => n + (counts[s] ?? 0), 0);
}
/** Pure: wait, a verdict, or "this scan cannot give one" (FAILED, UNSUPPORTED_IMAGE, any status we do not know). */
function judgeScan(snapshot, threshold) {
    if (!snapshot.found)
        return { kind: 'wait', status: 'NOT_FOUND' };
    const { status, counts } = snapshot;
    if (WAITING.includes(status))
        return { kind: 'wait', status };
    if (JUDGED.includes(status)) {
        const blocking = blockingCount(counts, threshold);
        return { kind: blocking > 0 ? 'blocked' : 'passed', counts, blocking };
    }
    const reason = snapshot.description ? `${status}: ${snapshot.description}` : status;
    return { kind: 'unavailable', status, reason };
}
/** Pure: `CRITICAL 1, HIGH 2` in severity order, most severe first, unranked ones last. */
function formatCounts(counts) {
    const ranked = [...registry/* SEVERITIES */.oC].reverse().filter((s) => (counts[s] ?? 0) > 0);
    const others = Object.keys(counts).filter((s) => !registry/* SEVERITIES */.oC.includes(s) && (counts[s] ?? 0) > 0);
    const parts = [...ranked, ...others].map((s) => `${s} ${counts[s]}`);
    return parts.length > 0 ? parts.join(', ') : 'no findings';
}
/** Pure: the job summary's section for the scan. */
function renderScanSummary(result) {
    const { verdict, threshold } = result;
    const head = verdict.kind === 'passed'
        ? `### ✅ Image scan: nothing at or above ${threshold}`
        : verdict.kind === 'blocked'
            ? `### ❌ Image scan: ${verdict.blocking} finding(s) at or above ${threshold}, not deployed`
            : `### ⚠️ Image scan gave no verdict`;
    const lines = [head, '', `Image \`${result.digest}\``, ''];
    if (verdict.kind === 'passed' || verdict.kind === 'blocked') {
        const severities = [
            ...[...registry/* SEVERITIES */.oC].reverse(),
            ...Object.keys(verdict.counts).filter((s) => !registry/* SEVERITIES */.oC.includes(s)),
        ];
        lines.push('| Severity | Findings |', '|---|---|', ...severities.map((s) => `| ${s} | ${verdict.counts[s] ?? 0} |`), '');
    }
    else if (verdict.kind === 'unavailable') {
        lines.push(`Status: ${verdict.reason}`, '');
    }
    return lines.join('\n');
}
const isNamed = (err, name) => err instanceof Error && err.name === name;
async function snapshot(ecr, repo, digest) {
    try {
        const out = await ecr.send(new dist_cjs/* DescribeImageScanFindingsCommand */.TQ0({
            repositoryName: repo.name,
            ...(repo.registryId ? { registryId: repo.registryId } : {}),
            imageId: { imageDigest: digest },
            // Only the counts are judged; they summarise every page.
            maxResults: 1,
        }));
        return {
            found: true,
            status: out.imageScanStatus?.status ?? 'UNKNOWN',
            description: out.imageScanStatus?.description,
            counts: (out.imageScanFindings?.findingSeverityCounts ?? {}),
        };
    }
    catch (err) {
        if (isNamed(err, 'ScanNotFoundException'))
            return { found: false };
        throw err;
    }
}
const realClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};
/**
 * Polls the image's scan until it gives a verdict, bounded by `timeoutSeconds`. An image without a scan
 * (no scan-on-push, basic scanning) gets one StartImageScan; when ECR refuses it (enhanced scanning, quota,
 * unsupported image) that refusal is the "no verdict" reason.
 */
async function waitForScan(ecr, repo, digest, gate, opts) {
    const clock = opts.clock ?? realClock;
    const until = clock.now() + gate.timeoutSeconds * 1000;
    const done = (verdict) => ({
        verdict,
        digest,
        threshold: gate.failOnSeverity,
    });
    let started = false;
    let last = '';
    for (;;) {
        const seen = await snapshot(ecr, repo, digest);
        const verdict = judgeScan(seen, gate.failOnSeverity);
        if (verdict.kind !== 'wait')
            return done(verdict);
        if (!seen.found && !started) {
            started = true;
            try {
                await ecr.send(new dist_cjs/* StartImageScanCommand */.Qc9({
                    repositoryName: repo.name,
                    ...(repo.registryId ? { registryId: repo.registryId } : {}),
                    imageId: { imageDigest: digest },
                }));
                opts.log(`No scan of ${digest} yet: started one`);
            }
            catch (err) {
                const reason = `no scan, and StartImageScan was refused: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
                return done({ kind: 'unavailable', status: 'NOT_FOUND', reason });
            }
        }
        else if (verdict.status !== last) {
            opts.log(`Scan ${verdict.status}`);
        }
        last = verdict.status;
        if (clock.now() + opts.pollMs > until) {
            const reason = `still ${verdict.status} after ${gate.timeoutSeconds} s (scan-timeout-seconds)`;
            return done({ kind: 'unavailable', status: verdict.status, reason });
        }
        await clock.sleep(opts.pollMs);
    }
}
/**
 * The scan gate, between publishing and registering: waits for the scan, writes its counts to the job
 * summary, and stops the step before anything is deployed when findings reach the threshold. A scan that
 * gives no verdict fails the step too (`scan-unavailable: fail`, the default) or warns (`warn`).
 */
async function scanGateStage(ecr, repo, digest, gate, opts) {
    const result = await waitForScan(ecr, repo, digest, gate, opts);
    await core/* summary */.z.addRaw(renderScanSummary(result)).write();
    const { verdict } = result;
    if (verdict.kind === 'passed' || verdict.kind === 'blocked') {
        opts.log(`Scan findings: ${formatCounts(verdict.counts)}`);
    }
    if (verdict.kind === 'blocked') {
        throw new errors/* UserError */.yo(`Image scan found ${verdict.blocking} finding(s) at or above ${gate.failOnSeverity} in ${digest} ` +
            `(${formatCounts(verdict.counts)}): not deploying (fail-on-severity: ${gate.failOnSeverity}).`);
    }
    if (verdict.kind === 'unavailable') {
        const line = `Image scan of ${digest} gave no verdict (${verdict.reason})`;
        if (gate.unavailable === 'fail')
            throw new errors/* UserError */.yo(`${line}: not deploying (scan-unavailable: fail).`);
        core/* warning */.$e(`${line}; deploying anyway (scan-unavailable: warn).`);
    }
    return result;
}

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(1260);
// EXTERNAL MODULE: ./src/image/reference.ts
var reference = __webpack_require__(3564);
;// CONCATENATED MODULE: ./src/image/docker.ts




/** Silent so nothing docker prints reaches the log unfiltered; callers decide what to show. */
async function docker(args, extra = {}) {
    return (0,exec/* getExecOutput */.H)('docker', args, {
        // Same as inheriting in the action; explicit because jest gives each test file its own process.env,
        // which @actions/exec would otherwise bypass (DOCKER_HOST/DOCKER_CONFIG of the integration test).
        env: { ...process.env },
        silent: true,
        ignoreReturnCode: true,
        ...(extra.input ? { input: extra.input } : {}),
        ...(extra.stdline ? { listeners: { stdline: extra.stdline } } : {}),
    });
}
/** The last thing docker said on stderr (its error), with any secret taken out. */
function lastError(out, secrets = []) {
    const lines = out.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('WARNING'));
    let line = lines[lines.length - 1] ?? `exit code ${out.exitCode}`;
    for (const s of secrets)
        if (s !== '')
            line = line.split(s).join('***');
    return line;
}
/** `docker login` with the password on stdin only: argv is visible to every process on the runner. */
async function dockerLogin(login) {
    const out = await docker(['login', '--username', login.username, '--password-stdin', login.registry], {
        input: Buffer.from(login.password, 'utf8'),
    });
    if (out.exitCode !== 0) {
        throw new errors/* UserError */.yo(`docker login to ${login.registry} failed: ${lastError(out, [login.password])}`);
    }
    // The post step logs out even when a later stage fails, so the credential does not outlive the job.
    core/* saveState */.LZ('registry', login.registry);
}
async function dockerLogout(registry) {
    const out = await docker(['logout', registry]);
    if (out.exitCode !== 0)
        throw new Error(`docker logout ${registry} failed: ${lastError(out)}`);
}
/** True when the local engine has the image; a daemon that cannot be reached is an error, not "no". */
async function imageExists(image) {
    const out = await docker(['image', 'inspect', '--format', '{{.Id}}', image]);
    if (out.exitCode === 0)
        return true;
    if (/no such (image|object)/i.test(out.stderr))
        return false;
    throw new errors/* UserError */.yo(`Cannot ask Docker about image '${image}': ${lastError(out)}`);
}
async function repoDigests(ref) {
    const out = await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref]);
    if (out.exitCode !== 0)
        throw new Error(`docker image inspect ${ref} failed: ${lastError(out)}`);
    const parsed = JSON.parse(out.stdout.trim() || 'null');
    return Array.isArray(parsed) ? parsed.filter((d) => typeof d === 'string') : [];
}
/**
 * Tags the local image as registry/repository:tag for each tag and pushes each. The digest comes from
 * docker's own push output and must match what the engine recorded in RepoDigests: deploying by digest
 * is only safe if the digest is the one the registry stored, never one computed or guessed here.
 */
async function pushImage(args) {
    const { image, registry, repository, tags, log } = args;
    if (tags.length === 0)
        throw new Error('pushImage needs at least one tag.');
    const target = `${registry}/${repository}`;
    const digests = new Map();
    for (const tag of tags) {
        const ref = `${target}:${tag}`;
        const tagged = await docker(['tag', image, ref]);
        if (tagged.exitCode !== 0)
            throw new errors/* UserError */.yo(`docker tag ${image} ${ref} failed: ${lastError(tagged)}`);
        log(`Pushing ${ref}`);
        const pushed = await docker(['push', ref], { stdline: log });
        if (pushed.exitCode !== 0)
            throw new errors/* UserError */.yo(`docker push ${ref} failed: ${lastError(pushed)}`);
        const digest = (0,reference/* parseDigestFromPushOutput */.JI)(pushed.stdout);
        if (!digest)
            throw new Error(`docker push ${ref} succeeded but printed no digest line.`);
        const recorded = await repoDigests(ref);
        if (!recorded.includes(`${target}@${digest}`)) {
            throw new Error(`docker push ${ref} reported ${digest}, but the engine recorded ${recorded.join(', ') || 'no digest'} for it.`);
        }
        digests.set(tag, digest);
    }
    const distinct = [...new Set(digests.values())];
    const [digest] = distinct;
    if (distinct.length !== 1 || digest === undefined) {
        const each = [...digests].map(([t, d]) => `${t}=${d}`).join(', ');
        throw new Error(`The tags of ${target} were pushed with different digests (${each}); refusing to deploy.`);
    }
    return { digest, imageUri: `${target}@${digest}` };
}

// EXTERNAL MODULE: ./src/image/ecr-login.ts
var ecr_login = __webpack_require__(8603);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/image/ecr/repository.ts



/** `host` of a repository URI (`123.dkr.ecr.eu-west-1.amazonaws.com/app` → the host). */
function hostOf(repositoryUri) {
    return (0,reference/* registryHost */.U$)(repositoryUri.slice(0, repositoryUri.indexOf('/')));
}
function whereIs(registryId) {
    return registryId ? `registry ${registryId}` : "this account's registry";
}
/** Pure: CreateRepository's request for the settings the inputs gave. */
function createRepositoryRequest(name, registryId, settings) {
    return {
        repositoryName: name,
        ...(registryId ? { registryId } : {}),
        imageTagMutability: settings.imageTagMutability,
        imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
        encryptionConfiguration: {
            encryptionType: settings.encryptionType,
            ...(settings.kmsKey ? { kmsKey: settings.kmsKey } : {}),
        },
    };
}
const repository_isNamed = (err, name) => err instanceof Error && err.name === name;
/**
 * A read for the plan: DescribeRepositories. A missing repository is an error the user fixes, unless
 * `create-repository` is true; then the publish stage creates it (the first write).
 */
async function planRepository(ecr, name, inputs) {
    // planEcr sends ECR Public targets to planPublicRepository; reaching here with one is a bug, not input.
    if (inputs.target.kind === 'public')
        throw new Error('planRepository is for private registries only.');
    const { registryId, region } = inputs.target;
    const clientRegion = await ecr.config.region();
    if (region !== undefined && region !== clientRegion) {
        throw new errors/* UserError */.yo(`Input 'registry' names a registry in ${region}, but the step works in ${clientRegion}: set aws-region: ${region} or name a registry in ${clientRegion}.`);
    }
    let found;
    try {
        const out = await ecr.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({ repositoryNames: [name], ...(registryId ? { registryId } : {}) }));
        found = out.repositories?.[0];
    }
    catch (err) {
        if (!repository_isNamed(err, 'RepositoryNotFoundException'))
            throw err;
    }
    if (found?.repositoryUri) {
        return {
            name,
            registryId,
            uri: found.repositoryUri,
            create: undefined,
            immutable: found.imageTagMutability?.startsWith('IMMUTABLE') ?? false,
        };
    }
    if (!inputs.create) {
        throw new errors/* UserError */.yo(`Repository '${name}' does not exist in ${whereIs(registryId)}; create it or set create-repository: true.`);
    }
    return {
        name,
        registryId,
        uri: undefined,
        create: inputs.create,
        immutable: inputs.create.imageTagMutability === 'IMMUTABLE',
    };
}
/** Creates the repository the plan found missing; returns its URI. Another run creating it first is fine. */
async function ensureRepository(ecr, plan, log) {
    if (plan.uri)
        return plan.uri;
    if (!plan.create)
        throw new Error(`Repository '${plan.name}' has no URI and is not to be created.`);
    const where = whereIs(plan.registryId);
    try {
        const out = await ecr.send(new dist_cjs/* CreateRepositoryCommand */.WTe(createRepositoryRequest(plan.name, plan.registryId, plan.create)));
        const { imageTagMutability, scanOnPush, encryptionType } = { ...plan.create };
        log(`Created repository ${plan.name} in ${where} (${imageTagMutability}, scan on push ${scanOnPush ? 'on' : 'off'}, ${encryptionType})`);
        plan.uri = out.repository?.repositoryUri;
    }
    catch (err) {
        if (!repository_isNamed(err, 'RepositoryAlreadyExistsException'))
            throw err;
        log(`Repository ${plan.name} was created meanwhile; using it`);
        const out = await ecr.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({
            repositoryNames: [plan.name],
            ...(plan.registryId ? { registryId: plan.registryId } : {}),
        }));
        plan.uri = out.repositories?.[0]?.repositoryUri;
    }
    if (!plan.uri)
        throw new Error(`ECR returned no URI for repository '${plan.name}'.`);
    return plan.uri;
}

;// CONCATENATED MODULE: ./src/image/ecr/promote.ts




const MANIFEST_TYPES = [
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.oci.image.index.v1+json',
];
/**
 * Pure: the tag or digest to promote when `image` names the target repository itself
 * (`<registry>/<repository>:tag` or `@sha256:…`), else undefined (the image is copied as usual). Only the
 * same repository qualifies: PutImage needs the layers already in it.
 */
function promotionReference(source, repositoryUri) {
    if (source.kind !== 'remote' || repositoryUri === undefined)
        return undefined;
    const slash = repositoryUri.indexOf('/');
    const sameHost = source.host.toLowerCase() === hostOf(repositoryUri).toLowerCase();
    return sameHost && source.repository === repositoryUri.slice(slash + 1) ? source.reference : undefined;
}
const scope = (repo) => ({
    repositoryName: repo.name,
    ...(repo.registryId ? { registryId: repo.registryId } : {}),
});
/** A read for the plan: the manifest to re-tag, so a missing source fails before anything is written. */
async function readSourceImage(ecr, repo, image, reference) {
    const imageId = reference.startsWith('sha256:') ? { imageDigest: reference } : { imageTag: reference };
    const out = await ecr.send(new dist_cjs/* BatchGetImageCommand */.P8n({ ...scope(repo), imageIds: [imageId], acceptedMediaTypes: MANIFEST_TYPES }));
    const found = out.images?.[0];
    if (!found?.imageManifest) {
        const why = out.failures?.[0]?.failureReason ?? 'not found';
        throw (0,errors/* inputError */.Xu)('image', image, `an image in ECR repository '${repo.name}' (ECR says: ${why})`);
    }
    const manifest = found.imageManifest;
    const digest = found.imageId?.imageDigest ?? `sha256:${(0,external_node_crypto_.createHash)('sha256').update(manifest).digest('hex')}`;
    return { reference, digest, manifest, mediaType: found.imageManifestMediaType };
}
/** Pure: what a PutImage answer means for one tag (undefined: an error to pass on). */
function putImageOutcome(errorName) {
    if (errorName === undefined)
        return 'tagged';
    if (errorName === 'ImageAlreadyExistsException')
        return 'already-tagged';
    if (errorName === 'ImageTagAlreadyExistsException')
        return 'immutable-conflict';
    return undefined;
}
/**
 * Zero-byte promotion: one PutImage per tag with the manifest BatchGetImage read. No layer moves (ECR
 * already has them in this repository), so the only traffic is these API calls.
 */
async function promoteTags(ecr, repo, source, tags, log) {
    log(`${source.reference} is already in ${repo.name} (${source.digest}): tagging in ECR, no bytes moved`);
    const results = [];
    for (const tag of tags) {
        let name;
        try {
            await ecr.send(new dist_cjs/* PutImageCommand */.SUU({
                ...scope(repo),
                imageManifest: source.manifest,
                ...(source.mediaType ? { imageManifestMediaType: source.mediaType } : {}),
                imageTag: tag,
                imageDigest: source.digest,
            }));
        }
        catch (err) {
            name = err instanceof Error ? err.name : 'Error';
            if (putImageOutcome(name) === undefined)
                throw err;
        }
        const outcome = putImageOutcome(name);
        if (outcome === 'immutable-conflict') {
            throw new errors/* UserError */.yo(`Tag '${tag}' in repository '${repo.name}' already points at another image and the repository's tags are ` +
                `immutable, so ECR will not move it to ${source.digest}: choose a new tag.`);
        }
        log(outcome === 'tagged' ? `Tagged ${tag}` : `${tag} already points at ${source.digest}`);
        results.push({ tag, outcome });
    }
    return results;
}

;// CONCATENATED MODULE: ./src/image/ecr/plan.ts





// ECR Public's module (and its SDK) is imported only when a step targets public.ecr.aws.
const publicEcr = () => Promise.all(/* import() */[__webpack_require__.e(821), __webpack_require__.e(299)]).then(__webpack_require__.bind(__webpack_require__, 7299));
/**
 * Reads only (DescribeRepositories, and BatchGetImage for a promotion): the repository exists or will be
 * created, and an image to promote is there.
 */
async function planEcr(ecr, image, registry, log, publicClient = createEcrPublicClient) {
    if (registry.target.kind === 'public') {
        // No promotion inside ECR Public (it has no BatchGetImage): an image already there is copied by the
        // OCI client, which re-pushes only the manifest as the registry has every blob.
        const client = await publicClient();
        const { planPublicRepository } = await publicEcr();
        const { alias } = registry.target;
        const repository = await planPublicRepository(client, image.repository, alias, registry.create);
        if (repository.create)
            log(`Public repository ${repository.name} does not exist yet: it will be created`);
        return { repository, promotion: undefined, ecrPublic: client };
    }
    const repository = await planRepository(ecr, image.repository, registry);
    if (repository.create)
        log(`Repository ${repository.name} does not exist yet: it will be created`);
    const reference = promotionReference(image.source, repository.uri);
    const promotion = reference ? await readSourceImage(ecr, repository, image.image, reference) : undefined;
    if (promotion)
        log(`${image.image} is already in ${repository.name}: promotion by tag, nothing to push`);
    return { repository, promotion };
}
/**
 * The ECR part of publishing, before any push: create the repository if the plan said so, and promote
 * inside ECR when the image is already there (then the result is the published image; no push follows).
 */
async function publishInEcr(ecr, plan, tags, log) {
    const uri = plan.ecrPublic
        ? await (await publicEcr()).ensurePublicRepository(plan.ecrPublic, plan.repository, log)
        : await ensureRepository(ecr, plan.repository, log);
    if (!plan.promotion)
        return undefined;
    await promoteTags(ecr, plan.repository, plan.promotion, tags, log);
    const digest = plan.promotion.digest;
    return { imageUri: (0,reference/* imageUri */.W_)(hostOf(uri), plan.repository.name, { digest }), digest };
}
/** Pushes go to the repository's own registry (another account's, when `registry` names one). */
function pushTarget(login, plan) {
    const uri = plan?.repository.uri;
    return uri ? { ...login, registry: hostOf(uri) } : login;
}
/** The login for the target registry: ECR Public's own token, or the private registry's. */
async function registryLogin(ecr, plan) {
    if (plan?.ecrPublic)
        return (await publicEcr()).getPublicLogin(plan.ecrPublic);
    return (0,ecr_login/* getEcrLogin */.C)(ecr);
}
/** The repository's path on its registry: `<alias>/<name>` on ECR Public, the name on a private one. */
function pushRepository(plan, name) {
    const uri = plan?.repository.uri;
    return uri ? uri.slice(uri.indexOf('/') + 1) : name;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./src/image/oci/media.ts

/** The manifest media types a registry API serves and takes, image manifests and indexes. */
const MEDIA = {
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    ociConfig: 'application/vnd.oci.image.config.v1+json',
    ociLayer: 'application/vnd.oci.image.layer.v1.tar',
    ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
};
const INDEX_TYPES = [MEDIA.ociIndex, MEDIA.dockerList];
const media_MANIFEST_TYPES = [MEDIA.ociManifest, MEDIA.dockerManifest];
/** What `Accept` asks for: every manifest type this client can copy. */
const ACCEPT_MANIFESTS = [...media_MANIFEST_TYPES, ...INDEX_TYPES].join(', ');
const DIGEST = /^sha256:[a-f0-9]{64}$/;
function sha256(bytes) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
}
function descriptor(value, where) {
    const d = value;
    if (!d || typeof d.digest !== 'string' || !DIGEST.test(d.digest) || typeof d.size !== 'number') {
        throw new Error(`${where} has a descriptor without a sha256 digest and a size.`);
    }
    return { ...d, mediaType: typeof d.mediaType === 'string' ? d.mediaType : '' };
}
/**
 * The media type of a manifest: the one the registry or the referring descriptor gave, else its own
 * `mediaType` field, else its shape (OCI allows manifests without the field).
 */
function manifestMediaType(bytes, given) {
    const json = parseJson(bytes);
    const declared = typeof json.mediaType === 'string' ? json.mediaType : undefined;
    const type = given && given !== '' && given !== 'application/json' ? given : declared;
    if (type)
        return type;
    return Array.isArray(json.manifests) ? MEDIA.ociIndex : MEDIA.ociManifest;
}
function parseJson(bytes) {
    try {
        const parsed = JSON.parse(bytes.toString('utf8'));
        if (parsed && typeof parsed === 'object')
            return parsed;
    }
    catch {
        // reported below
    }
    throw new Error('A manifest is not a JSON object.');
}
/** The children of a manifest (config and layers) or an index (its manifests). */
function parseManifest(blob) {
    const json = parseJson(blob.bytes);
    if (INDEX_TYPES.includes(blob.mediaType)) {
        const list = Array.isArray(json.manifests) ? json.manifests : [];
        return { kind: 'index', manifests: list.map((m) => descriptor(m, `Index ${blob.digest}`)) };
    }
    if (media_MANIFEST_TYPES.includes(blob.mediaType)) {
        const layers = Array.isArray(json.layers) ? json.layers : [];
        return {
            kind: 'image',
            config: descriptor(json.config, `Manifest ${blob.digest}`),
            layers: layers.map((l) => descriptor(l, `Manifest ${blob.digest}`)),
        };
    }
    throw new Error(`Manifest ${blob.digest} has media type '${blob.mediaType}'; only OCI and Docker v2 manifests and indexes can be copied.`);
}
function manifestBlob(bytes, mediaType) {
    return { bytes, digest: sha256(bytes), mediaType: manifestMediaType(bytes, mediaType) };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/image/oci/tar.ts


const tar_text = (block, start, length) => {
    const raw = block.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
};
/** Sizes are octal text, or big-endian base-256 when the first byte has its high bit set (> 8 GiB). */
function size(block) {
    const field = block.subarray(124, 136);
    if (((field[0] ?? 0) & 0x80) !== 0) {
        let n = 0;
        for (let i = 1; i < field.length; i++)
            n = n * 256 + (field[i] ?? 0);
        return n;
    }
    const octal = tar_text(block, 124, 12).trim();
    return octal === '' ? 0 : parseInt(octal, 8);
}
/** One 512-byte header; undefined for the zero blocks that end an archive. */
function parseTarHeader(block) {
    if (block.length < 512 || block.every((b) => b === 0))
        return undefined;
    let name = tar_text(block, 0, 100);
    const ustar = tar_text(block, 257, 6).startsWith('ustar');
    const prefix = ustar ? tar_text(block, 345, 155) : '';
    if (prefix !== '')
        name = `${prefix}/${name}`;
    const type = String.fromCharCode(block[156] || 0x30);
    return { name, size: size(block), type: type === '\0' ? '0' : type, linkname: tar_text(block, 157, 100) };
}
/** `path` and `linkpath` from a pax extended header's `LEN key=value\n` records. */
function paxFields(data) {
    const fields = {};
    for (const record of data.toString('utf8').split('\n')) {
        const m = /^\d+ (path|linkpath)=(.*)$/.exec(record);
        if (m)
            fields[m[1]] = m[2] ?? '';
    }
    return fields;
}
const clean = (name) => external_node_path_.posix.normalize(name.replace(/^\.\//, '')).replace(/\/$/, '');
/**
 * Regular files of a tar by name, with their offsets, reading headers only (a 1 GiB `docker save` is a
 * few hundred header reads). Links are resolved to the file they point at.
 */
async function indexTar(path) {
    const file = await (0,promises_.open)(path, 'r');
    const entries = new Map();
    const links = [];
    try {
        const { size: fileSize } = await file.stat();
        const block = Buffer.alloc(512);
        let position = 0;
        let longName;
        let longLink;
        while (position + 512 <= fileSize) {
            await file.read(block, 0, 512, position);
            const header = parseTarHeader(block);
            if (!header)
                break;
            const dataAt = position + 512;
            position = dataAt + Math.ceil(header.size / 512) * 512;
            if (header.type === 'L' || header.type === 'x') {
                const data = Buffer.alloc(header.size);
                await file.read(data, 0, header.size, dataAt);
                if (header.type === 'L')
                    longName = tar_text(data, 0, data.length);
                else
                    ({ path: longName, linkpath: longLink } = paxFields(data));
                continue;
            }
            const name = clean(longName ?? header.name);
            const linkname = longLink ?? header.linkname;
            longName = undefined;
            longLink = undefined;
            if (header.type === '0' || header.type === '7')
                entries.set(name, { name, offset: dataAt, size: header.size });
            else if (header.type === '2')
                links.push([name, clean(external_node_path_.posix.join(external_node_path_.posix.dirname(name), linkname))]);
            else if (header.type === '1')
                links.push([name, clean(linkname)]);
        }
    }
    finally {
        await file.close();
    }
    for (const [name, target] of links) {
        const entry = entries.get(target);
        if (entry)
            entries.set(name, { ...entry, name });
    }
    return entries;
}

;// CONCATENATED MODULE: ./src/image/oci/archive.ts







/** Which image of `manifest.json` to push: the one tagged `reference`, or the only one. */
function pickArchiveImage(images, reference) {
    const tags = images.flatMap((i) => i.RepoTags ?? []);
    if (reference === undefined) {
        if (images.length === 1 && images[0])
            return images[0];
        return `NAME:TAG after the path, as the archive holds ${images.length} images (${tags.join(', ') || 'untagged'})`;
    }
    const found = images.find((i) => (i.RepoTags ?? []).includes(reference));
    return found ?? `a NAME:TAG the archive holds (${tags.join(', ') || 'untagged'})`;
}
/**
 * The OCI manifest for a docker-save image. Deterministic (fixed key order), so the same archive always
 * gives the same digest and a re-push sends nothing.
 */
function archiveManifest(config, layers) {
    const d = (x) => ({ mediaType: x.mediaType, digest: x.digest, size: x.size });
    return Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: d(config),
        layers: layers.map(d),
    }));
}
async function readEntry(path, entry, length = entry.size) {
    const file = await (0,promises_.open)(path, 'r');
    try {
        const buf = Buffer.alloc(Math.min(length, entry.size));
        await file.read(buf, 0, buf.length, entry.offset);
        return buf;
    }
    finally {
        await file.close();
    }
}
const stream = (path, entry) => entry.size === 0
    ? external_node_stream_.Readable.from([])
    : (0,external_node_fs_.createReadStream)(path, {
        start: entry.offset,
        end: entry.offset + entry.size - 1,
        highWaterMark: 1024 * 1024,
    });
/** sha256 of an entry, streamed. */
async function hashEntry(path, entry) {
    if (entry.size === 0)
        return sha256(Buffer.alloc(0));
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of stream(path, entry))
        hash.update(chunk);
    return `sha256:${hash.digest('hex')}`;
}
/**
 * A `docker save` tarball, read in place: layers are streamed from their offsets in the tar. Docker's
 * layer tars are uncompressed, so they go up as OCI `tar` layers whose digests are the config's diff_ids
 * (checked while uploading); a gzipped layer is hashed first.
 */
async function openArchive(path, reference, shown) {
    let entries;
    try {
        entries = await indexTar(path);
    }
    catch {
        throw (0,errors/* inputError */.Xu)('image', shown, 'a readable docker save archive (an uncompressed tar)');
    }
    const manifestEntry = entries.get('manifest.json');
    if (!manifestEntry)
        throw (0,errors/* inputError */.Xu)('image', shown, 'a docker save archive (no manifest.json in it)');
    const images = JSON.parse((await readEntry(path, manifestEntry)).toString('utf8'));
    const image = pickArchiveImage(images, reference);
    if (typeof image === 'string')
        throw (0,errors/* inputError */.Xu)('image', shown, image);
    const entry = (name) => {
        const found = entries.get(name.replace(/^\.\//, ''));
        if (!found)
            throw (0,errors/* inputError */.Xu)('image', shown, `a complete docker save archive (${name} is missing)`);
        return found;
    };
    const configBytes = await readEntry(path, entry(image.Config));
    const config = {
        mediaType: MEDIA.ociConfig,
        digest: sha256(configBytes),
        size: configBytes.length,
    };
    const diffIds = (JSON.parse(configBytes.toString('utf8')).rootfs
        ?.diff_ids ?? []);
    const where = new Map();
    const layers = [];
    for (const [i, name] of image.Layers.entries()) {
        const layer = entry(name);
        const head = await readEntry(path, layer, 2);
        const gzip = head[0] === 0x1f && head[1] === 0x8b;
        const digest = !gzip && diffIds[i] ? diffIds[i] : await hashEntry(path, layer);
        layers.push({ mediaType: gzip ? MEDIA.ociLayerGzip : MEDIA.ociLayer, digest, size: layer.size });
        where.set(digest, layer);
    }
    const root = manifestBlob(archiveManifest(config, layers), MEDIA.ociManifest);
    const blobs = [config, ...layers.filter((l, i) => layers.findIndex((x) => x.digest === l.digest) === i)];
    return {
        name: shown,
        root,
        children: [],
        blobs,
        open: async (desc) => {
            if (desc.digest === config.digest)
                return external_node_stream_.Readable.from([configBytes]);
            const layer = where.get(desc.digest);
            if (!layer)
                throw new Error(`No layer ${desc.digest} in ${path}.`);
            return stream(path, layer);
        },
        close: async () => undefined,
    };
}

;// CONCATENATED MODULE: ./src/image/oci/auth.ts

/** `Bearer realm="https://auth/token",service="reg",scope="repository:a:pull"` → scheme and params. */
function parseChallenge(header) {
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header ?? '');
    if (!match)
        return undefined;
    const params = {};
    for (const p of (match[2] ?? '').matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
        params[(p[1] ?? '').toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
    }
    return { scheme: (match[1] ?? '').toLowerCase(), params };
}
/** The token endpoint URL for a Bearer challenge and the scopes a request needs. */
function tokenUrl(challenge, scopes) {
    const realm = challenge.params.realm;
    if (!realm)
        throw new Error('The registry asked for a Bearer token without naming a realm.');
    const url = new URL(realm);
    if (challenge.params.service)
        url.searchParams.set('service', challenge.params.service);
    const wanted = new Set(scopes);
    if (challenge.params.scope)
        for (const s of challenge.params.scope.split(' '))
            wanted.add(s);
    for (const scope of wanted)
        if (scope !== '')
            url.searchParams.append('scope', scope);
    return url;
}
/** A refused login: one line naming whose credentials and which registry; never the secret. */
class AuthError extends errors/* UserError */.yo {
    name = 'AuthError';
}
/**
 * The registry's auth dance, per registry: Basic (ECR, htpasswd) sends the credentials on every request;
 * Bearer trades them at the realm for a token per scope. Learned from the first 401, then sent up front.
 */
class Authenticator {
    host;
    credentials;
    who;
    fetchToken;
    basic = false;
    tokens = new Map();
    constructor(host, credentials, 
    /** Whose credentials, for error lines: e.g. "the ECR login" or "source-username/source-password". */
    who, fetchToken) {
        this.host = host;
        this.credentials = credentials;
        this.who = who;
        this.fetchToken = fetchToken;
    }
    /** The Authorization header for a request needing `scope`, if one is known yet. */
    header(scope) {
        if (this.basic && this.credentials) {
            const { username, password } = this.credentials;
            return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
        }
        return this.tokens.get(scope);
    }
    /**
     * After a 401: learn the scheme and get what it asks for. A Bearer token is fetched afresh even if one
     * was sent (tokens expire during long pushes); a 401 to the request sent with that (`again`) or to
     * Basic credentials already sent means "refused".
     */
    async unauthorized(scope, wwwAuthenticate, again) {
        const challenge = parseChallenge(wwwAuthenticate);
        if (again || !challenge)
            throw this.refused();
        if (challenge.scheme === 'basic') {
            if (!this.credentials)
                throw this.needsCredentials();
            if (this.basic)
                throw this.refused();
            this.basic = true;
            return;
        }
        if (challenge.scheme !== 'bearer') {
            throw new errors/* UserError */.yo(`Registry ${this.host} asks for '${challenge.scheme}' authentication, not Basic or Bearer.`);
        }
        const headers = {};
        if (this.credentials) {
            const { username, password } = this.credentials;
            headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
        }
        const url = tokenUrl(challenge, scope.split(' '));
        const res = await this.fetchToken(url, headers);
        if (res.status === 401 || res.status === 403)
            throw this.credentials ? this.refused() : this.needsCredentials();
        if (res.status !== 200)
            throw new Error(`Token server ${url.host} answered ${res.status}.`);
        let token;
        try {
            const json = JSON.parse(res.body.toString('utf8'));
            token = json.token ?? json.access_token;
        }
        catch {
            token = undefined;
        }
        if (typeof token !== 'string' || token === '') {
            throw new Error(`Token server ${url.host} answered without a token.`);
        }
        this.tokens.set(scope, `Bearer ${token}`);
    }
    refused() {
        const user = this.credentials ? ` for user '${this.credentials.username}'` : '';
        return new AuthError(`Registry ${this.host} refused ${this.who}${user} (401 Unauthorized).`);
    }
    needsCredentials() {
        return new AuthError(`Registry ${this.host} requires credentials: set ${this.who}.`);
    }
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
;// CONCATENATED MODULE: ./src/image/oci/http.ts


/**
 * The only place that touches the network for the registry client. Keep-alive agents: a push is many
 * small requests (HEAD per blob, upload sessions, manifests) to the same host.
 */
const agents = {
    'http:': new (external_node_http_default()).Agent({ keepAlive: true, maxSockets: 16 }),
    'https:': new (external_node_https_default()).Agent({ keepAlive: true, maxSockets: 16 }),
};
const IDLE_TIMEOUT_MS = 60_000;
/**
 * One request. A function body streams itself into the request (respecting backpressure) and ends it;
 * its failure aborts the request, so a half-sent body never looks complete to the registry.
 */
function send(url, method, headers, body) {
    const transport = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
    return new Promise((resolve, reject) => {
        const req = transport.request(url, {
            method,
            headers,
            agent: agents[url.protocol],
            timeout: IDLE_TIMEOUT_MS,
        });
        req.on('response', (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }));
        req.on('error', reject);
        req.on('timeout', () => {
            const err = Object.assign(new Error(`${method} ${url.host} timed out`), { code: 'ETIMEDOUT' });
            req.destroy(err);
        });
        if (body === undefined)
            req.end();
        else if (Buffer.isBuffer(body))
            req.end(body);
        else
            body(req).catch((err) => {
                req.destroy(err instanceof Error ? err : new Error(String(err)));
                reject(err);
            });
    });
}
/** Writes a chunk, waiting for the socket to drain when the request's buffer is full. */
async function write(req, chunk) {
    if (req.write(chunk))
        return;
    await new Promise((resolve, reject) => {
        const done = (err) => {
            req.off('drain', onDrain);
            req.off('close', onClose);
            req.off('error', done);
            if (err)
                reject(err);
            else
                resolve();
        };
        const onDrain = () => done();
        const onClose = () => done(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        req.once('drain', onDrain);
        req.once('close', onClose);
        req.once('error', done);
    });
}
/** The response body as a buffer; for manifests, tokens and error documents, which are small. */
async function readAll(res, limit = 16 * 1024 * 1024) {
    const chunks = [];
    let size = 0;
    for await (const chunk of res) {
        size += chunk.length;
        if (size > limit) {
            res.destroy();
            throw new Error(`Response larger than ${limit} bytes.`);
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
/** Reads and drops a body so the keep-alive socket can serve the next request. */
async function discard(res) {
    for await (const _ of res) {
        // nothing
    }
}

;// CONCATENATED MODULE: ./src/image/oci/retry.ts
/** A registry answered with an HTTP status the caller did not expect. */
class HttpStatusError extends Error {
    status;
    transient;
    constructor(status, message, 
    /** Worth repeating whatever the status, e.g. a token that expired during a long upload. */
    transient = false) {
        super(message);
        this.status = status;
        this.transient = transient;
        this.name = 'HttpStatusError';
    }
}
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ECONNABORTED',
    'ENETUNREACH',
    'EHOSTUNREACH',
]);
/**
 * Whether a failed step is worth repeating: cut or refused connections, timeouts, 5xx, 408 and 429. A
 * 4xx is an answer (wrong credentials, unknown repository) that repeating would not change.
 */
function isTransient(err) {
    if (err instanceof HttpStatusError)
        return err.transient || err.status >= 500 || err.status === 408 || err.status === 429;
    if (!(err instanceof Error))
        return false;
    const code = err.code;
    if (code !== undefined && TRANSIENT_CODES.has(code))
        return true;
    return /socket hang up|aborted|premature close/i.test(err.message);
}
/** Exponential backoff with ±20% jitter so parallel uploads do not retry in lockstep. */
function backoffMs(attempt, baseMs, random = Math.random()) {
    const raw = Math.min(baseMs * 2 ** (attempt - 1), 8000);
    return Math.round(raw * (0.8 + 0.4 * random));
}
const DEFAULT_RETRY = { attempts: 5, baseMs: 300 };
/** Runs an idempotent step, again after a transient failure, up to `attempts` times in all. */
async function withRetries(what, step, opts) {
    for (let attempt = 1;; attempt++) {
        try {
            return await step();
        }
        catch (err) {
            if (attempt >= opts.attempts || !isTransient(err))
                throw err;
            const wait = backoffMs(attempt, opts.baseMs);
            const reason = err instanceof Error ? err.message : String(err);
            opts.log?.(`${what} failed (${reason}); retrying in ${(wait / 1000).toFixed(1)} s`);
            await new Promise((r) => setTimeout(r, wait));
        }
    }
}

;// CONCATENATED MODULE: ./src/image/oci/client.ts





const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;
/** Loopback registries speak plain HTTP (as Docker treats them as insecure by default); others HTTPS. */
function registryBase(host) {
    return new URL(`${LOOPBACK.test(host) ? 'http' : 'https'}://${host}`);
}
const pullScope = (repo) => `repository:${repo}:pull`;
const pushScope = (repo) => `repository:${repo}:pull,push`;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The registry's own error document (`{"errors":[{"code","message"}]}`) as one short phrase. */
function registryErrorText(status, body) {
    try {
        const errors = JSON.parse(body).errors ?? [];
        const text = errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
        if (text !== '')
            return `${status} ${text}`;
    }
    catch {
        // not JSON
    }
    return `${status} ${body.trim().slice(0, 200)}`.trim();
}
/** A small client for the OCI distribution API: what copying an image needs and nothing else. */
class RegistryClient {
    endpoint;
    base;
    auth;
    constructor(endpoint) {
        this.endpoint = endpoint;
        this.base = registryBase(endpoint.host);
        this.auth = new Authenticator(endpoint.host, endpoint.credentials, endpoint.who, async (url, headers) => {
            const res = await send(url, 'GET', { ...headers, 'user-agent': client_USER_AGENT });
            return { status: res.status, body: await readAll(res.body, 1024 * 1024) };
        });
    }
    get host() {
        return this.endpoint.host;
    }
    /**
     * One request with auth. A 401 is answered (learn the scheme, fetch a token) and the request sent again
     * when its body can be sent again; a streamed body cannot, so that 401 is a transient failure the caller's
     * retry repeats with the new token. GET/HEAD follow redirects (blob storage), without credentials when the
     * redirect leaves the registry host.
     */
    async request(method, target, scope, opts = {}) {
        let url = typeof target === 'string' ? new URL(target, this.base) : target;
        let redirects = 0;
        for (let round = 0;;) {
            const auth = url.host === this.base.host ? this.auth.header(scope) : undefined;
            const headers = { 'user-agent': client_USER_AGENT, ...opts.headers, ...(auth ? { authorization: auth } : {}) };
            const res = await send(url, method, headers, opts.body);
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
    async expect(res, ok, what) {
        if (ok.includes(res.status))
            return;
        const text = (await readAll(res.body, 64 * 1024)).toString('utf8');
        if (res.status === 403) {
            throw new errors/* UserError */.yo(`Registry ${this.host} denied ${what} (${registryErrorText(403, text)}).`);
        }
        throw new HttpStatusError(res.status, `${what} on ${this.host}: ${registryErrorText(res.status, text)}`);
    }
    async hasBlob(repo, digest) {
        const res = await this.request('HEAD', `/v2/${repo}/blobs/${digest}`, pushScope(repo));
        await discard(res.body);
        if (res.status === 404)
            return false;
        await this.expect(res, [200], `HEAD blob ${digest}`);
        return true;
    }
    /** The blob's bytes as a stream (the caller verifies the digest while it reads). */
    async blob(repo, digest) {
        const res = await this.request('GET', `/v2/${repo}/blobs/${digest}`, pullScope(repo));
        await this.expect(res, [200], `GET blob ${digest} of ${repo}`);
        return res.body;
    }
    /** A manifest or index by tag or digest, with its exact bytes; a digest reference is verified. */
    async manifest(repo, reference) {
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
    async manifestDigest(repo, reference) {
        const res = await this.request('HEAD', `/v2/${repo}/manifests/${reference}`, pushScope(repo), {
            headers: { accept: ACCEPT_MANIFESTS },
        });
        await discard(res.body);
        if (res.status === 404)
            return undefined;
        await this.expect(res, [200], `HEAD manifest ${repo}:${reference}`);
        return header(res, 'docker-content-digest');
    }
    /** PUT a manifest under a tag or its digest; returns the digest the registry says it stored. */
    async putManifest(repo, reference, manifest) {
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
    async startUpload(repo, mount) {
        const query = mount ? `?mount=${mount.digest}&from=${encodeURIComponent(mount.from)}` : '';
        const scope = mount ? `${pushScope(repo)} ${pullScope(mount.from)}` : pushScope(repo);
        const res = await this.request('POST', `/v2/${repo}/blobs/uploads/${query}`, scope, {
            headers: { 'content-length': '0' },
            body: Buffer.alloc(0),
        });
        await this.expect(res, [201, 202], `start upload to ${repo}`);
        await discard(res.body);
        if (res.status === 201 && mount)
            return 'mounted';
        return this.location(res);
    }
    /** PATCH one chunk (`Content-Range: start-end`); returns the session's next location. */
    async patch(repo, location, start, length, body) {
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
    async finishUpload(repo, location, digest, body, length = 0) {
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
    async cancelUpload(repo, location) {
        try {
            const res = await this.request('DELETE', location, pushScope(repo));
            await discard(res.body);
        }
        catch {
            // the session expires on its own
        }
    }
    location(res) {
        const location = header(res, 'location');
        if (!location)
            throw new Error(`Registry ${this.host} opened an upload without a Location.`);
        return new URL(location, this.base);
    }
}
const client_USER_AGENT = 'ecs-ship (oci-client)';
function header(res, name) {
    const value = res.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

;// CONCATENATED MODULE: ./src/image/oci/upload.ts


const MiB = 1024 * 1024;
/** ECR's layer parts: at least 5 MiB except the last, at most 20 MiB (20971520 bytes, UploadLayerPart). */
const ECR_CHUNKS = { monolithicMax: 5 * MiB, chunkSize: 20 * MiB };
/** The byte ranges of a blob's upload: one for a monolithic upload, else `chunkSize` parts. */
function uploadRanges(size, sizes) {
    if (size <= sizes.monolithicMax)
        return [{ start: 0, length: size }];
    const ranges = [];
    for (let start = 0; start < size; start += sizes.chunkSize) {
        ranges.push({ start, length: Math.min(sizes.chunkSize, size - start) });
    }
    return ranges;
}
function formatBytes(n) {
    if (n < 1024)
        return `${n} B`;
    if (n < MiB)
        return `${(n / 1024).toFixed(1)} KiB`;
    if (n < 1024 * MiB)
        return `${(n / MiB).toFixed(1)} MiB`;
    return `${(n / 1024 / MiB).toFixed(2)} GiB`;
}
/** `sha256:0123456789ab 120.0 MiB of 500.0 MiB (24%), 95.2 MiB/s` */
function formatProgress(digest, done, total, elapsedMs) {
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
    return `${digest.slice(0, 19)} ${formatBytes(done)} of ${formatBytes(total)} (${percent}%), ${formatBytes(Math.round(rate))}/s`;
}
/** The source's bytes did not match the descriptor: nothing was committed under that digest. */
class DigestMismatchError extends Error {
    name = 'DigestMismatchError';
}
/** Reads exact byte counts from a stream, keeping what is left of a buffer for the next read. */
class ByteReader {
    iterator;
    rest;
    constructor(stream) {
        this.iterator = stream[Symbol.asyncIterator]();
    }
    async *take(count) {
        let left = count;
        while (left > 0) {
            let buf = this.rest;
            this.rest = undefined;
            if (!buf) {
                const next = await this.iterator.next();
                if (next.done)
                    return;
                buf = next.value;
            }
            if (buf.length > left) {
                this.rest = buf.subarray(left);
                buf = buf.subarray(0, left);
            }
            left -= buf.length;
            yield buf;
        }
    }
    async atEnd() {
        if (this.rest && this.rest.length > 0)
            return false;
        const next = await this.iterator.next();
        if (next.done)
            return true;
        this.rest = next.value;
        return next.value.length === 0 && this.atEnd();
    }
}
/**
 * Streams `length` bytes into a request, hashing as it goes. The last part holds its final buffer back
 * until the whole blob's digest is checked, so a registry never receives all bytes of a wrong blob.
 */
async function pump(t, req, length, last) {
    let pending;
    let got = 0;
    for await (const buf of t.reader.take(length)) {
        t.hash.update(buf);
        got += buf.length;
        if (pending)
            await write(req, pending);
        pending = buf;
        t.sent += buf.length;
        t.tick(t.sent);
    }
    if (got < length) {
        throw new DigestMismatchError(`${t.desc.digest} ended after ${t.sent} bytes; its descriptor says ${t.desc.size}.`);
    }
    if (last) {
        if (!(await t.reader.atEnd())) {
            throw new DigestMismatchError(`${t.desc.digest} has more than the ${t.desc.size} bytes its descriptor says.`);
        }
        const actual = `sha256:${t.hash.digest('hex')}`;
        if (actual !== t.desc.digest) {
            throw new DigestMismatchError(`The bytes of ${t.desc.digest} hash to ${actual}; refusing to push them.`);
        }
    }
    if (pending)
        await write(req, pending);
    req.end();
}
/**
 * One attempt at putting a blob into `repo`: mount, or one session streamed from `open()` (monolithic or in
 * chunks), the digest checked on the fly. Callers retry the whole attempt: a fresh session and stream.
 */
async function uploadBlob(client, repo, desc, open, opts) {
    const mount = opts.mountFrom ? { digest: desc.digest, from: opts.mountFrom } : undefined;
    let location = await client.startUpload(repo, mount);
    if (location === 'mounted')
        return 'mounted';
    const started = Date.now();
    let lastLine = started;
    const every = opts.progressEveryMs ?? 5000;
    const stream = await open();
    const transfer = {
        desc,
        reader: new ByteReader(stream),
        hash: (0,external_node_crypto_.createHash)('sha256'),
        sent: 0,
        tick: (sent) => {
            const now = Date.now();
            if (opts.log && now - lastLine >= every) {
                lastLine = now;
                opts.log(formatProgress(desc.digest, sent, desc.size, now - started));
            }
        },
    };
    try {
        const ranges = uploadRanges(desc.size, opts.sizes);
        if (ranges.length === 1 && desc.size <= opts.sizes.monolithicMax) {
            const body = (req) => pump(transfer, req, desc.size, true);
            await client.finishUpload(repo, location, desc.digest, body, desc.size);
        }
        else {
            for (const [i, range] of ranges.entries()) {
                const last = i === ranges.length - 1;
                const body = (req) => pump(transfer, req, range.length, last);
                location = await client.patch(repo, location, range.start, range.length, body);
            }
            await client.finishUpload(repo, location, desc.digest);
        }
        if (opts.log && Date.now() - started >= every) {
            opts.log(formatProgress(desc.digest, desc.size, desc.size, Date.now() - started));
        }
        return 'uploaded';
    }
    catch (err) {
        await client.cancelUpload(repo, location);
        throw err;
    }
    finally {
        stream.destroy();
    }
}

;// CONCATENATED MODULE: ./src/image/oci/push.ts




/**
 * The manifests and blobs under a root, each once: an index's children (recursively) and every manifest's
 * config and layers. `load` reads a child manifest by its descriptor.
 */
async function walkImage(root, load) {
    const children = [];
    const blobs = new Map();
    const visit = async (manifest, depth) => {
        if (depth > 4)
            throw new Error(`Index ${root.digest} nests deeper than 4 levels.`);
        const parsed = parseManifest(manifest);
        if (parsed.kind === 'image') {
            for (const d of [parsed.config, ...parsed.layers])
                if (!blobs.has(d.digest))
                    blobs.set(d.digest, d);
            return;
        }
        for (const desc of parsed.manifests) {
            if (children.some((c) => c.digest === desc.digest))
                continue;
            const child = await load(desc);
            if (child.digest !== desc.digest) {
                throw new Error(`Manifest ${desc.digest} of ${root.digest} reads back as ${child.digest}.`);
            }
            await visit(child, depth + 1);
            children.push(child);
        }
    };
    await visit(root, 0);
    return { children, blobs: [...blobs.values()] };
}
/** Runs `fn` over `items` with at most `limit` at once; the first failure fails the whole. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
/**
 * Copies an image into the destination: each blob the registry lacks (HEAD first, mount when the source
 * is the same registry, else a streamed upload with a bounded number in flight), then the index's
 * manifests by digest, then the root under every tag. The digest returned is the one the registry
 * reported, and it must be the digest of the bytes sent.
 */
async function push_pushImage(source, destination, opts) {
    const { log } = opts;
    const retry = { ...(opts.retry ?? DEFAULT_RETRY), log };
    const client = new RegistryClient({
        host: destination.host,
        credentials: destination.credentials,
        who: destination.who,
    });
    const repo = destination.repository;
    const mountFrom = source.origin && source.origin.host === destination.host && source.origin.repository !== repo
        ? source.origin.repository
        : undefined;
    const counts = { present: 0, mounted: 0, uploaded: 0 };
    let bytesUploaded = 0;
    const started = Date.now();
    const total = source.blobs.reduce((n, b) => n + b.size, 0);
    log(`Copying ${source.name} (${source.blobs.length} blobs, ${formatBytes(total)}) to ${destination.host}/${repo}`);
    // Auth first, on one request: parallel uploads would otherwise each run the token dance.
    await withRetries('Registry check', () => client.manifestDigest(repo, destination.tags[0] ?? 'latest'), retry);
    await mapLimit(source.blobs, opts.parallel ?? 4, async (desc) => {
        if (await withRetries(`HEAD ${desc.digest}`, () => client.hasBlob(repo, desc.digest), retry)) {
            counts.present++;
            return;
        }
        const how = await withRetries(`Upload of ${desc.digest}`, () => uploadBlob(client, repo, desc, () => source.open(desc), {
            sizes: opts.sizes ?? ECR_CHUNKS,
            log,
            ...(opts.progressEveryMs === undefined ? {} : { progressEveryMs: opts.progressEveryMs }),
            ...(mountFrom ? { mountFrom } : {}),
        }), retry);
        counts[how]++;
        if (how === 'uploaded')
            bytesUploaded += desc.size;
    });
    for (const child of source.children) {
        await withRetries(`PUT manifest ${child.digest}`, () => client.putManifest(repo, child.digest, child), retry);
    }
    const root = source.root;
    for (const tag of destination.tags) {
        const current = await withRetries(`HEAD ${repo}:${tag}`, () => client.manifestDigest(repo, tag), retry);
        if (current === root.digest)
            continue;
        const stored = await withRetries(`PUT manifest ${repo}:${tag}`, () => client.putManifest(repo, tag, root), retry);
        if (stored !== root.digest) {
            throw new Error(`Registry ${destination.host} stored ${repo}:${tag} as ${stored}, but ${root.digest} was sent.`);
        }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(2);
    log(`Blobs: ${counts.present} already there, ${counts.mounted} mounted, ${counts.uploaded} uploaded ` +
        `(${formatBytes(bytesUploaded)}) in ${seconds} s`);
    log(`Pushed ${destination.host}/${repo}@${root.digest} as ${destination.tags.join(', ')}`);
    return {
        digest: root.digest,
        imageUri: `${destination.host}/${repo}@${root.digest}`,
        blobs: counts,
        bytesUploaded,
    };
}

;// CONCATENATED MODULE: ./src/image/oci/layout.ts






const REF_NAME = 'org.opencontainers.image.ref.name';
/** The descriptor `index.json` lists for `tag`, or the only one when no tag is given. */
function pickFromIndex(index, tag) {
    const manifests = index.manifests ?? [];
    const tags = manifests.map((m) => m.annotations?.[REF_NAME]).filter((t) => !!t);
    if (tag === undefined) {
        if (manifests.length === 1 && manifests[0])
            return manifests[0];
        return `a tag, as the layout holds ${manifests.length} images (tags: ${tags.join(', ') || 'none'})`;
    }
    const found = manifests.find((m) => m.annotations?.[REF_NAME] === tag);
    return found ?? `a tag the layout has (tags: ${tags.join(', ') || 'none'})`;
}
const blobPath = (root, digest) => (0,external_node_path_.join)(root, 'blobs', ...digest.split(':'));
/**
 * An OCI image layout (buildx `type=oci`, buildah, kaniko, umoci, skopeo): index.json picks the image by
 * its ref-name annotation; manifests are read and verified here, blobs are streamed at push time.
 */
async function openLayout(path, tag, shown) {
    let index;
    try {
        index = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(path, 'index.json'), 'utf8'));
    }
    catch (err) {
        const why = err.code === 'ENOENT' ? 'no index.json there' : 'index.json unreadable';
        throw (0,errors/* inputError */.Xu)('image', shown, `an OCI image layout directory (${why})`);
    }
    const picked = pickFromIndex(index, tag);
    if (typeof picked === 'string')
        throw (0,errors/* inputError */.Xu)('image', shown, picked);
    const load = async (desc) => {
        let bytes;
        try {
            bytes = await (0,promises_.readFile)(blobPath(path, desc.digest));
        }
        catch {
            throw (0,errors/* inputError */.Xu)('image', shown, `a complete layout (blob ${desc.digest} is missing)`);
        }
        if (sha256(bytes) !== desc.digest) {
            throw (0,errors/* inputError */.Xu)('image', shown, `an intact layout (blob ${desc.digest} does not match its digest)`);
        }
        return manifestBlob(bytes, desc.mediaType);
    };
    const root = await load(picked);
    const { children, blobs } = await walkImage(root, load);
    for (const blob of blobs) {
        const found = await (0,promises_.stat)(blobPath(path, blob.digest)).catch(() => undefined);
        if (found?.size !== blob.size) {
            throw (0,errors/* inputError */.Xu)('image', shown, `a complete layout (blob ${blob.digest} is missing or has the wrong size)`);
        }
    }
    return {
        name: shown,
        root,
        children,
        blobs,
        open: async (desc) => (0,external_node_fs_.createReadStream)(blobPath(path, desc.digest), { highWaterMark: 1024 * 1024 }),
        close: async () => undefined,
    };
}

;// CONCATENATED MODULE: ./src/image/oci/remote.ts




/**
 * An image in another registry (GHCR, Docker Hub, another ECR...): manifests read now (which also proves
 * the credentials), blobs streamed from the registry straight into the upload.
 */
async function openRemote(ref, credentials, shown, who = 'source-username/source-password') {
    const client = new RegistryClient({ host: ref.host, credentials, who });
    const { repository } = ref;
    const get = (reference) => withRetries(`GET ${ref.host}/${repository}:${reference}`, () => client.manifest(repository, reference), DEFAULT_RETRY);
    const root = await get(ref.reference);
    if (!root)
        throw (0,errors/* inputError */.Xu)('image', shown, `an image that exists on ${ref.host} (it answered 404)`);
    const { children, blobs } = await walkImage(root, async (desc) => {
        const child = await get(desc.digest);
        if (!child)
            throw new Error(`${ref.host}/${repository} has no manifest ${desc.digest} its index lists.`);
        return child;
    });
    return {
        name: shown,
        root,
        children,
        blobs,
        open: (desc) => client.blob(repository, desc.digest),
        origin: { host: ref.host, repository },
        close: async () => undefined,
    };
}

// EXTERNAL MODULE: ./src/image/oci/sources.ts
var sources = __webpack_require__(9485);
;// CONCATENATED MODULE: ./src/image/oci/open.ts





/** The daemonless sources; a local Docker image goes through the docker CLI instead. */
async function openImageSource(spec, credentials) {
    const shown = (0,sources/* describeSource */.B6)(spec);
    switch (spec.kind) {
        case 'oci-layout':
            return openLayout(spec.path, spec.tag, shown);
        case 'docker-archive':
            return openArchive(spec.path, spec.reference, shown);
        case 'remote':
            return openRemote(spec, credentials, shown).catch((err) => {
                // A registry that cannot be reached is the user's to fix (a typo in the host, a private network).
                const code = err.code;
                if (code === 'ENOTFOUND' || code === 'ECONNREFUSED') {
                    throw new errors/* UserError */.yo(`Cannot reach registry ${spec.host} for input 'image' (${code}).`);
                }
                throw err;
            });
    }
}

;// CONCATENATED MODULE: ./src/image/stage.ts






/** A source password is masked before anything could print it, even an error from the plan. */
function maskSecrets(inputs) {
    if (inputs.sourceCredentials)
        core/* setSecret */.Pq(inputs.sourceCredentials.password);
}
/**
 * `docker build -t <registry>/app:sha .` then `image: <registry>/app:sha` is the most common workflow, and
 * that name also reads as "copy from <registry>". When `image` has no explicit transport (`docker://`,
 * `docker-daemon:`, …), names a tag (not a digest) and the local daemon has an image by that name, the local
 * image wins — a tag in the registry may well be an older build. Only otherwise is it a promotion inside ECR or
 * a copy from the registry. A daemon that cannot be asked means "not local".
 */
async function preferLocalImage(inputs) {
    const explicit = /^(?:oci-layout|oci|docker-archive|docker-daemon|docker):/.test(inputs.image);
    // A digest names exact content, which the registry holds authoritatively: promote or copy it from there.
    if (inputs.source.kind !== 'remote' || explicit || inputs.source.reference.startsWith('sha256:'))
        return inputs;
    const local = await imageExists(inputs.image).catch(() => false);
    return local ? { ...inputs, source: { kind: 'docker', image: inputs.image } } : inputs;
}
/**
 * Reads only: the image to publish must be there before anything is written anywhere. A file or registry
 * source is opened and its manifests read, which also proves a registry source's credentials.
 */
async function checkImageSource(inputs) {
    maskSecrets(inputs);
    const { source } = inputs;
    if (source.kind === 'docker') {
        if (!(await imageExists(source.image))) {
            throw (0,errors/* inputError */.Xu)('image', inputs.image, 'an image the local Docker daemon has (build or pull it first)');
        }
        return;
    }
    const opened = await openImageSource(source, inputs.sourceCredentials);
    await opened.close();
}
/** Where the image goes: the ECR repository, under every tag, with the ECR login's Basic credentials. */
function ecrDestination(login, inputs) {
    return {
        host: login.registry,
        repository: inputs.repository,
        tags: inputs.tags,
        credentials: { username: login.username, password: login.password },
        who: 'the ECR login',
    };
}
/**
 * The publishing stage: ECR login, then the source `image` names by its form. A local Docker image is
 * tagged and pushed with the docker CLI; a layout, archive or registry image is copied by the daemonless
 * OCI client. Sets the image outputs.
 */
async function publishImage(ecr, inputs, log, ecrPlan) {
    maskSecrets(inputs);
    const { source, tags } = inputs;
    // The plan's ECR side: a missing repository is created (create-repository); an image already in the
    // repository is promoted by PutImage inside ECR, and nothing is pushed.
    const promoted = ecrPlan ? await publishInEcr(ecr, ecrPlan, tags, log) : undefined;
    if (promoted) {
        core/* setOutput */.uH('image-uri', promoted.imageUri);
        core/* setOutput */.uH('image-digest', promoted.digest);
        return promoted;
    }
    const login = pushTarget(await registryLogin(ecr, ecrPlan), ecrPlan);
    // On ECR Public the repository sits under the registry's alias (`<alias>/<name>`).
    const repository = pushRepository(ecrPlan, inputs.repository);
    let pushed;
    if (source.kind === 'docker') {
        await dockerLogin(login);
        log(`Logged in to ${login.registry}`);
        pushed = await pushImage({ image: source.image, registry: login.registry, repository, tags, log });
    }
    else {
        const opened = await openImageSource(source, inputs.sourceCredentials);
        try {
            pushed = await push_pushImage(opened, ecrDestination(login, { ...inputs, repository }), { log });
        }
        finally {
            await opened.close();
        }
    }
    core/* setOutput */.uH('image-uri', pushed.imageUri);
    core/* setOutput */.uH('image-digest', pushed.digest);
    return pushed;
}

;// CONCATENATED MODULE: ./src/deploy/register.ts



/** Registers the rendered task definition; ECS's rejection of it is the user's to fix, so one line. */
async function registerTaskDefinition(ecs, input) {
    let out;
    try {
        out = await ecs.send(new client_ecs_dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(input));
    }
    catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const kind = classifyAwsError(err);
        if (kind === 'denied') {
            // PassRole is the usual culprit when the task or execution role is set.
            throw new errors/* UserError */.yo(`Access denied registering task definition '${input.family ?? '?'}': allow ecs:RegisterTaskDefinition ` +
                `(and iam:PassRole on its task and execution roles) (${message})`);
        }
        if (kind === 'transient')
            throw err;
        throw new errors/* UserError */.yo(`ECS rejected task definition '${input.family ?? '?'}': ${errorName(err)}: ${message.replace(/\s+/g, ' ')}`);
    }
    const td = out.taskDefinition;
    if (!td?.taskDefinitionArn || !td.family || td.revision === undefined) {
        throw new Error('RegisterTaskDefinition returned no task definition ARN, family or revision');
    }
    return { arn: td.taskDefinitionArn, family: td.family, revision: td.revision };
}

;// CONCATENATED MODULE: ./src/report/summary.ts

/** For text inside HTML (`<pre>`, `<summary>`): ECS event text is not ours and may contain `<`. */
function escapeHtml(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/\|/g, '&#124;');
}
/** For text in markdown, including table cells: HTML escaped, and markdown's own marks made literal. */
function escapeMarkdown(text) {
    // Backslashes first: the entities escapeHtml writes contain '#', which must stay unescaped.
    return escapeHtml(text.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]#~])/g, '\\$1'));
}
function code(text) {
    // A code span cannot hold a backtick or a pipe inside a table; fall back to escaped text.
    return /[`|\n]/.test(text) || text === '' ? escapeMarkdown(text) : `\`${text}\``;
}
function formatDuration(ms) {
    const total = Math.round(ms / 1000);
    if (total < 60)
        return `${total}s`;
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return h > 0 ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`;
}
const FAILED_AS = {
    ROLLED_BACK: 'was rolled back',
    TIMED_OUT: 'timed out',
    FAILED: 'failed',
};
function headline(report) {
    const { outcome } = report;
    const names = outcome.services.map((s) => s.service).join(', ');
    const where = escapeMarkdown(`${names} (cluster ${report.cluster})`);
    if (outcome.state === 'NOT_STARTED') {
        return `## ❌ One-off task failed, no service updated in ${escapeMarkdown(`cluster ${report.cluster}`)}`;
    }
    if (outcome.state === 'NOT_WAITED')
        return `## ✅ Updated ${where}, rollout not watched`;
    if (outcome.success)
        return `## ✅ Deployed to ${where}`;
    const failed = outcome.services.filter((s) => !s.success);
    const which = escapeMarkdown(`${failed.map((s) => s.service).join(', ')} (cluster ${report.cluster})`);
    return `## ❌ Rollout to ${which} ${FAILED_AS[outcome.state] ?? 'failed'}`;
}
function summary_revisionName(arn) {
    return arn.slice(arn.lastIndexOf('/') + 1);
}
function revisionLabel(report) {
    const name = summary_revisionName(report.taskDefinitionArn);
    return name.endsWith(`:${report.revision}`) ? name : `${name} (revision ${report.revision})`;
}
function runTaskCell(r) {
    const codes = r.exits
        .filter((e) => e.essential)
        .map((e) => `${e.container} ${e.exitCode === undefined ? 'did not run' : `exit ${e.exitCode}`}`);
    return `${code(r.success ? 'SUCCEEDED' : 'FAILED')}${codes.length > 0 ? ` (${escapeMarkdown(codes.join(', '))})` : ''}`;
}
function longest(services) {
    const durations = services.flatMap((s) => (s.rollout ? [s.rollout.durationMs] : []));
    return durations.length > 0 ? Math.max(...durations) : undefined;
}
function overview(report) {
    const { outcome } = report;
    const names = outcome.services.map((s) => s.service);
    const duration = longest(outcome.services);
    const rows = [
        ['Image', code(report.imageUri || report.image)],
        ['Tags', report.tags.length > 0 ? report.tags.map(code).join(', ') : '—'],
        ['Digest', code(report.digest)],
        ['Task definition', code(revisionLabel(report))],
        ['Cluster', code(report.cluster)],
    ];
    if (names.length > 0)
        rows.push([names.length > 1 ? 'Services' : 'Service', names.map(code).join(', ')]);
    if (outcome.runTask)
        rows.push(['One-off task', runTaskCell(outcome.runTask)]);
    rows.push(['Rollout', code(outcome.state)]);
    rows.push(['Duration', duration === undefined ? '—' : formatDuration(duration)]);
    if (outcome.cleanup) {
        const gone = outcome.cleanup.deregistered.map((a) => code(summary_revisionName(a)));
        rows.push(['Deregistered', gone.length > 0 ? gone.join(', ') : 'none']);
    }
    return rows;
}
/** One row per service when there are several; with one, the overview already says it all. */
function perService(services) {
    if (services.length < 2)
        return [];
    return [
        '### Services',
        '',
        '| Service | Rollout | Deployment | Duration | Result |',
        '|---|---|---|---|---|',
        ...services.map((s) => `| ${code(s.service)} | ${s.success ? '✅' : '❌'} ${code(s.state)} | ${s.deploymentId ? code(s.deploymentId) : '—'} | ` +
            `${s.rollout ? formatDuration(s.rollout.durationMs) : '—'} | ${escapeMarkdown(s.reason)} |`),
        '',
    ];
}
/**
 * Every printed line of the one-off task and of each service's watcher, in time order; with several
 * services each line names its service, as the live log does.
 */
function timeline(outcome) {
    const several = outcome.services.length > 1;
    const lines = [
        ...(outcome.runTask?.timeline ?? []).map((t) => ({ at: t.at.getTime(), text: `[run-task] ${t.text}` })),
        ...outcome.services.flatMap((s) => (s.rollout?.timeline ?? []).map((t) => ({
            at: t.at.getTime(),
            text: several ? `[${s.service}] ${t.text}` : t.text,
        }))),
    ];
    // A stable sort keeps each source's own order for lines printed in the same millisecond.
    return lines.sort((a, b) => a.at - b.at).map((l) => l.text);
}
/** The job summary as markdown. Pure, so every verdict's rendering is table-tested. */
function renderSummary(report) {
    const { outcome } = report;
    const parts = [
        headline(report),
        '',
        '| | |',
        '|---|---|',
        ...overview(report).map(([k, v]) => `| ${k} | ${v} |`),
        '',
    ];
    // With one service its own reason reads best; otherwise the step's line (the table has each reason).
    const only = outcome.services.length === 1 ? outcome.services[0] : undefined;
    const reason = only && !only.success ? only.reason : outcome.failure;
    if (reason !== undefined)
        parts.push(`**Reason:** ${escapeMarkdown(reason)}`, '');
    parts.push(...perService(outcome.services));
    const lines = timeline(outcome);
    if (lines.length > 0) {
        parts.push('<details>', `<summary>Rollout timeline (${lines.length} lines)</summary>`, '', '<pre>', ...lines.map(escapeHtml), '</pre>', '', '</details>', '');
    }
    return parts.join('\n');
}
async function writeSummary(report) {
    await core/* summary */.z.addRaw(renderSummary(report)).write();
}

;// CONCATENATED MODULE: ./src/taskdef/clean.ts
/** Keys DescribeTaskDefinition returns that RegisterTaskDefinition does not take. */
const READ_ONLY_KEYS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'deregisteredAt',
    'deleteRequestedAt',
    'registeredBy',
];
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** A deep copy without null members: console exports write `"healthCheck": null`, which ECS rejects. */
function withoutNulls(value) {
    if (Array.isArray(value))
        return value.map(withoutNulls);
    if (!isObject(value))
        return value;
    const out = {};
    for (const [key, member] of Object.entries(value)) {
        if (member !== null)
            out[key] = withoutNulls(member);
    }
    return out;
}
/**
 * What RegisterTaskDefinition can take: read-only keys and null members (at any depth) removed, every
 * other key and value kept as is — empty strings, zeros, false and empty lists are deliberate settings.
 */
function cleanTaskDefinition(td) {
    const out = {};
    for (const [key, value] of Object.entries(td)) {
        if (READ_ONLY_KEYS.includes(key) || value === null)
            continue;
        out[key] = withoutNulls(value);
    }
    return out;
}
const isEmpty = (v) => (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
function normalizeContainer(container, awsvpc) {
    if (!isObject(container))
        return container;
    const out = {};
    for (const [key, value] of Object.entries(container)) {
        if (isEmpty(value))
            continue;
        // ECS fills these in on registration; a file that leaves them out means the same thing.
        if ((key === 'cpu' && value === 0) || (key === 'essential' && value === true))
            continue;
        if (key === 'portMappings' && Array.isArray(value)) {
            out[key] = value.map((p) => {
                if (!isObject(p))
                    return p;
                const { protocol, hostPort, ...rest } = p;
                return {
                    ...rest,
                    ...(protocol === undefined || protocol === 'tcp' ? {} : { protocol }),
                    ...(hostPort === undefined || (awsvpc && hostPort === p['containerPort']) ? {} : { hostPort }),
                };
            });
            continue;
        }
        out[key] = value;
    }
    return out;
}
/**
 * The form two task definitions are compared in: both cleaned the same way, with what ECS adds on
 * registration (empty lists, cpu 0, essential true, tcp, awsvpc host ports) folded away and the task's
 * cpu/memory as strings, so a file and the revision registered from it compare equal.
 */
function comparable(td) {
    const clean = cleanTaskDefinition(td);
    const awsvpc = clean['networkMode'] === 'awsvpc';
    const out = {};
    for (const [key, value] of Object.entries(clean)) {
        if (isEmpty(value))
            continue;
        if (key === 'containerDefinitions' && Array.isArray(value)) {
            out[key] = value.map((c) => normalizeContainer(c, awsvpc));
        }
        else if ((key === 'cpu' || key === 'memory') && typeof value === 'number') {
            out[key] = String(value);
        }
        else {
            out[key] = value;
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/taskdef/diff.ts

function diff_isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Lists whose entries have a unique identity are compared entry by entry; others as a whole. */
function identity(list) {
    for (const field of ['name', 'key']) {
        const ids = list.map((e) => (diff_isObject(e) && typeof e[field] === 'string' ? e[field] : ''));
        if (ids.every((id) => id !== '') && new Set(ids).size === ids.length)
            return { field, ids };
    }
    return undefined;
}
function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
}
function walk(before, after, path, out) {
    if (same(before, after))
        return;
    // A list of named entries that appears or disappears is shown entry by entry, like any other change to it.
    if (before === undefined && Array.isArray(after) && identity(after))
        before = [];
    if (after === undefined && Array.isArray(before) && identity(before))
        after = [];
    if (before === undefined) {
        out.push({ kind: '+', path, after });
        return;
    }
    if (after === undefined) {
        out.push({ kind: '-', path, before });
        return;
    }
    if (diff_isObject(before) && diff_isObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
        for (const key of keys)
            walk(before[key], after[key], path === '' ? key : `${path}.${key}`, out);
        return;
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const a = identity(before);
        const b = identity(after);
        if (a && b && a.field === b.field) {
            const { field } = a;
            const byId = (list, id) => list.find((e) => diff_isObject(e) && e[field] === id);
            const strip = (entry) => {
                if (!diff_isObject(entry))
                    return entry;
                const { [field]: _, ...rest } = entry;
                // Name/value pairs (environment, secrets, tags) read best as their value alone.
                const only = Object.keys(rest);
                return only.length === 1 && (only[0] === 'value' || only[0] === 'valueFrom') ? rest[only[0]] : rest;
            };
            for (const id of [...new Set([...a.ids, ...b.ids])]) {
                walk(strip(byId(before, id)), strip(byId(after, id)), `${path}[${id}]`, out);
            }
            if (same(a.ids.filter((id) => b.ids.includes(id)), b.ids.filter((id) => a.ids.includes(id))))
                return;
            out.push({ kind: '~', path: `${path} (order)`, before: a.ids, after: b.ids });
            return;
        }
    }
    out.push({ kind: '~', path, before, after });
}
/**
 * What registering `rendered` would change compared with the service's current revision: both are put
 * in the same comparable form first, so an empty list is the same whether ECS filled it in or not.
 */
function diffTaskDefinitions(current, rendered) {
    const out = [];
    walk(comparable(current), comparable(rendered), '', out);
    return out;
}
/** Secret references and registry credentials are shown as changed, never with their values. */
const HIDDEN = /(^|\.)(secrets|secretOptions|repositoryCredentials)(\[|\.|$)/;
function show(value, path) {
    if (HIDDEN.test(path))
        return '(hidden)';
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
/** One readable line per change, e.g. `~ containerDefinitions[web].image: "a" → "b"`. */
function formatChanges(changes) {
    return changes.map((c) => {
        if (c.kind === '+')
            return `+ ${c.path}: ${show(c.after, c.path)}`;
        if (c.kind === '-')
            return `- ${c.path}: ${show(c.before, c.path)}`;
        return `~ ${c.path}: ${show(c.before, c.path)} → ${show(c.after, c.path)}`;
    });
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/taskdef/load.ts





function load_isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function formatOf(path, text) {
    const ext = (0,external_node_path_.extname)(path).toLowerCase();
    if (ext === '.json')
        return 'JSON';
    if (ext === '.yaml' || ext === '.yml')
        return 'YAML';
    return text.trimStart().startsWith('{') ? 'JSON' : 'YAML';
}
/** 1-based line and column of a character offset. */
function lineColumn(text, offset) {
    const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
    const lines = before.split('\n');
    return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}
/** The offset V8 reports, if any; Node 20 gives "at position N", newer Node also "(line L column C)". */
function jsonErrorOffset(text, message) {
    const pos = /at position (\d+)/.exec(message);
    if (pos)
        return Number(pos[1]);
    const lc = /\(line (\d+) column (\d+)\)/.exec(message);
    if (lc) {
        const lines = text.split('\n').slice(0, Number(lc[1]) - 1);
        return lines.reduce((n, l) => n + l.length + 1, 0) + Number(lc[2]) - 1;
    }
    if (/end of JSON input/.test(message))
        return text.length;
    return undefined;
}
/**
 * For messages without a position ("Unexpected token 'x', ... is not valid JSON"): the shortest prefix
 * that fails for a reason other than ending early ends at the bad character. Failing is monotonic in
 * the prefix length, so a binary search needs only a few parses.
 */
function firstBadOffset(text) {
    const failsInside = (k) => {
        try {
            JSON.parse(text.slice(0, k));
            return false;
        }
        catch (err) {
            const at = jsonErrorOffset(text.slice(0, k), (0,errors/* errorMessage */.gJ)(err));
            return at === undefined || at < k;
        }
    };
    if (!failsInside(text.length))
        return undefined;
    let lo = 1;
    let hi = text.length;
    while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (failsInside(mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo - 1;
}
/** Location and the first clause only: some V8 messages quote the whole input, which may hold secrets. */
function describeJsonError(text, err) {
    const message = (0,errors/* errorMessage */.gJ)(err);
    const offset = jsonErrorOffset(text, message) ?? firstBadOffset(text);
    const reason = message.replace(/,\s*(?:\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    if (offset === undefined)
        return reason;
    const { line, column } = lineColumn(text, offset);
    return `line ${line}, column ${column}: ${reason}`;
}
function parseText(path, text) {
    const format = formatOf(path, text);
    if (format === 'JSON') {
        try {
            return JSON.parse(text);
        }
        catch (err) {
            throw new errors/* UserError */.yo(`Task definition file '${path}' is not valid JSON: ${describeJsonError(text, err)}.`);
        }
    }
    const doc = (0,dist/* parseDocument */.Tp)(text);
    const first = doc.errors[0];
    if (first) {
        const at = first.linePos?.[0];
        const where = at ? `line ${at.line}, column ${at.col}: ` : '';
        const reason = first.code === 'MULTIPLE_DOCS'
            ? "a second document starts here ('---'); expected one task definition"
            : (first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.code);
        throw new errors/* UserError */.yo(`Task definition file '${path}' is not valid YAML: ${where}${reason}.`);
    }
    return doc.toJS();
}
/**
 * Reads a task definition from a JSON or YAML file. Accepts the body of RegisterTaskDefinition and also
 * the output of `aws ecs describe-task-definition` (`{"taskDefinition": {...}}`), a common starting point.
 */
async function loadTaskDefinitionFile(path) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (err) {
        const code = err.code;
        if (code === 'ENOENT')
            throw new errors/* UserError */.yo(`Task definition file '${path}' does not exist.`);
        if (code === 'EISDIR')
            throw new errors/* UserError */.yo(`Task definition file '${path}' is a directory, not a file.`);
        throw new errors/* UserError */.yo(`Task definition file '${path}' cannot be read: ${(0,errors/* errorMessage */.gJ)(err)}.`);
    }
    text = text.replace(/^\uFEFF/, '');
    if (text.trim() === '')
        throw new errors/* UserError */.yo(`Task definition file '${path}' is empty.`);
    let doc = parseText(path, text);
    if (load_isObject(doc) && !('containerDefinitions' in doc) && load_isObject(doc['taskDefinition'])) {
        // The dump's tags sit beside the task definition; they belong to RegisterTaskDefinition's `tags`.
        const tags = doc['tags'];
        doc = doc['taskDefinition'];
        if (load_isObject(doc) && Array.isArray(tags) && tags.length > 0 && !('tags' in doc))
            doc = { ...doc, tags };
    }
    if (!load_isObject(doc)) {
        const kind = Array.isArray(doc) ? 'a list' : doc === null ? 'null' : `a ${typeof doc}`;
        throw new errors/* UserError */.yo(`Task definition file '${path}' holds ${kind}: expected an object.`);
    }
    const containers = doc['containerDefinitions'];
    if (!Array.isArray(containers) || containers.length === 0) {
        throw new errors/* UserError */.yo(`Task definition file '${path}' has no 'containerDefinitions' list: expected at least one container.`);
    }
    if (!containers.every(load_isObject)) {
        throw new errors/* UserError */.yo(`Task definition file '${path}': every entry of 'containerDefinitions' must be an object.`);
    }
    return doc;
}
/** The task definition the service runs now, as the starting point when no file is given. */
async function loadServiceTaskDefinition(ecs, cluster, service) {
    const described = await ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: [service] }));
    const found = described.services?.[0];
    if (!found || found.status === 'INACTIVE') {
        const reason = described.failures?.[0]?.reason;
        const why = found?.status === 'INACTIVE' ? 'it is INACTIVE (deleted)' : `ECS says ${reason ?? 'MISSING'}`;
        throw new errors/* UserError */.yo(`Service '${service}' was not found in cluster '${cluster}': ${why}.`);
    }
    const arn = found.taskDefinition;
    if (!arn)
        throw new errors/* UserError */.yo(`Service '${service}' in cluster '${cluster}' has no task definition.`);
    const td = await ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: arn, include: ['TAGS'] }));
    if (!td.taskDefinition)
        throw new Error(`DescribeTaskDefinition returned no task definition for ${arn}.`);
    return { taskDefinition: { ...td.taskDefinition }, arn, tags: td.tags ?? [] };
}
/** A revision named by ARN, `family` or `family:revision`, with its tags (as RegisterTaskDefinition's `tags`). */
async function loadTaskDefinitionReference(ecs, reference) {
    let td;
    try {
        td = await ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: reference, include: ['TAGS'] }));
    }
    catch (err) {
        const name = err instanceof Error ? err.name : '';
        if (name === 'ClientException' || name === 'InvalidParameterException') {
            throw new errors/* UserError */.yo(`Input 'task-definition' is '${reference}': ECS has no such task definition (${(0,errors/* errorMessage */.gJ)(err)}).`);
        }
        throw err;
    }
    const found = td.taskDefinition;
    if (!found?.taskDefinitionArn)
        throw new errors/* UserError */.yo(`Task definition '${reference}' was not found.`);
    return { taskDefinition: { ...found }, arn: found.taskDefinitionArn, tags: td.tags ?? [] };
}

;// CONCATENATED MODULE: ./src/taskdef/render.ts



function containerList(td) {
    const list = td['containerDefinitions'];
    if (!Array.isArray(list))
        return [];
    return list.filter((c) => typeof c === 'object' && c !== null && !Array.isArray(c));
}
function containerNames(td) {
    return containerList(td)
        .map((c) => c['name'])
        .filter((n) => typeof n === 'string');
}
/** The containers that get the new image; `requested` comes from the `containers` input. */
function resolveContainers(td, requested) {
    const names = containerNames(td);
    const has = names.length > 0 ? names.join(', ') : 'no named containers';
    if (requested.length === 0) {
        if (names.length === 1)
            return [...names];
        if (names.length === 0)
            throw new errors/* UserError */.yo('The task definition has no named containers to deploy to.');
        throw new errors/* UserError */.yo(`The task definition has ${names.length} containers (${has}): set input 'containers' to the ones that get the new image.`);
    }
    for (const name of requested) {
        if (!names.includes(name)) {
            throw new errors/* UserError */.yo(`Input 'containers' names '${name}', which is not in the task definition (it has: ${has}).`);
        }
    }
    return [...new Set(requested)];
}
/**
 * Applies settings to a list of `{name, <field>}` entries: a set replaces the value in place (order kept,
 * so an unchanged re-run renders the same list), a new name is appended, a removal drops every entry.
 */
function applyNamed(list, change, field) {
    if (change.set.length === 0 && change.remove.length === 0)
        return list;
    const entries = (Array.isArray(list) ? list : []).filter((e) => !(typeof e === 'object' && e !== null && change.remove.includes(String(e['name']))));
    for (const [name, value] of change.set) {
        const found = entries.find((e) => e['name'] === name);
        if (found)
            found[field] = value;
        else
            entries.push({ name, [field]: value });
    }
    return entries;
}
function applyMap(map, change) {
    const out = { ...(typeof map === 'object' && map !== null ? map : {}) };
    for (const key of change.remove)
        delete out[key];
    for (const [key, value] of change.set)
        out[key] = value;
    return out;
}
function hasAny(change) {
    return change.set.length > 0 || change.remove.length > 0;
}
function applyContainerChanges(container, changes) {
    if (hasAny(changes.environment)) {
        container['environment'] = applyNamed(container['environment'], changes.environment, 'value');
    }
    if (hasAny(changes.secrets)) {
        container['secrets'] = applyNamed(container['secrets'], changes.secrets, 'valueFrom');
    }
    if (hasAny(changes.dockerLabels)) {
        container['dockerLabels'] = applyMap(container['dockerLabels'], changes.dockerLabels);
    }
    if (hasAny(changes.logOptions)) {
        const log = container['logConfiguration'];
        if (typeof log !== 'object' || log === null) {
            throw new errors/* UserError */.yo(`Input 'log-configuration-options' cannot apply to container '${String(container['name'])}': ` +
                'it has no logConfiguration (set its logDriver in the task definition).');
        }
        const options = applyMap(log['options'], changes.logOptions);
        container['logConfiguration'] = { ...log, options };
    }
    if (changes.command)
        container['command'] = [...changes.command];
    if (changes.envFiles.length > 0) {
        const files = Array.isArray(container['environmentFiles']) ? [...container['environmentFiles']] : [];
        for (const value of changes.envFiles) {
            if (!files.some((f) => typeof f === 'object' && f !== null && f['value'] === value)) {
                files.push({ value, type: 's3' });
            }
        }
        container['environmentFiles'] = files;
    }
}
/**
 * The task definition to register: cleaned (read-only keys and nulls removed), the named containers given
 * their images and the per-step changes, the task-level settings applied. Everything the request does not
 * address is copied untouched, including empty strings and zeros (an empty environment value is a legal,
 * deliberate setting). Pure: the input is never modified.
 */
function renderTaskDefinition(td, request) {
    const names = containerNames(td);
    const missing = request.containers.filter((n) => !names.includes(n));
    if (missing.length > 0) {
        throw new errors/* UserError */.yo(`Cannot set the image of container(s) ${missing.join(', ')}: not in the task definition (it has: ${names.join(', ')}).`);
    }
    const out = cleanTaskDefinition(td);
    const targets = new Set(request.containers);
    for (const container of containerList(out)) {
        const name = container['name'];
        if (typeof name !== 'string' || !targets.has(name))
            continue;
        const image = request.images?.[name] ?? request.image;
        if (image === undefined)
            throw new Error(`no image for container ${name}`);
        container['image'] = image;
        if (request.changes)
            applyContainerChanges(container, request.changes);
    }
    const task = request.changes;
    if (task?.cpu !== undefined)
        out['cpu'] = task.cpu;
    if (task?.memory !== undefined)
        out['memory'] = task.memory;
    if (task?.taskRoleArn !== undefined)
        out['taskRoleArn'] = task.taskRoleArn;
    if (task?.executionRoleArn !== undefined)
        out['executionRoleArn'] = task.executionRoleArn;
    return out;
}

;// CONCATENATED MODULE: ./src/taskdef/source.ts


const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;
const FAMILY = /^[A-Za-z0-9_-]{1,255}(?::\d+)?$/;
async function isFile(path) {
    try {
        return (await (0,promises_.stat)(path)).isFile();
    }
    catch {
        return false;
    }
}
/**
 * What `task-definition` names: an ARN, `family` or `family:revision` are revisions in ECS; anything else
 * is a file. A bare word that is also a file in the working directory is the file (the explicit thing).
 */
async function sourceKind(source, exists = isFile) {
    if (ARN.test(source))
        return 'ecs';
    if (FAMILY.test(source) && !(await exists(source)))
        return 'ecs';
    return 'file';
}
/** Tags go in RegisterTaskDefinition's `tags`; a document that has its own keeps them. */
function withTags(doc, tags) {
    return tags.length > 0 && !('tags' in doc) ? { ...doc, tags } : doc;
}
async function loadSource(ecs, source) {
    if ((await sourceKind(source)) === 'file') {
        return { taskDefinition: await loadTaskDefinitionFile(source), source };
    }
    const found = await loadTaskDefinitionReference(ecs, source);
    return { taskDefinition: withTags(found.taskDefinition, found.tags), source: found.arn };
}

;// CONCATENATED MODULE: ./src/taskdef/shape.generated.ts
// Generated by scripts/gen-taskdef-shape.ts from @aws-sdk/client-ecs 3.1162.0. Do not edit.
// Each structure maps its keys to the structure a key holds (directly or in a list), or null for a leaf.
const ROOT_SHAPE = 'RegisterTaskDefinitionRequest';
const SHAPES = {
    ContainerDefinition: {
        name: null,
        image: null,
        repositoryCredentials: 'RepositoryCredentials',
        cpu: null,
        memory: null,
        memoryReservation: null,
        links: null,
        portMappings: 'PortMapping',
        essential: null,
        restartPolicy: 'ContainerRestartPolicy',
        entryPoint: null,
        command: null,
        environment: 'KeyValuePair',
        environmentFiles: 'EnvironmentFile',
        mountPoints: 'MountPoint',
        volumesFrom: 'VolumeFrom',
        linuxParameters: 'LinuxParameters',
        secrets: 'Secret',
        dependsOn: 'ContainerDependency',
        startTimeout: null,
        stopTimeout: null,
        versionConsistency: null,
        hostname: null,
        user: null,
        workingDirectory: null,
        disableNetworking: null,
        privileged: null,
        readonlyRootFilesystem: null,
        dnsServers: null,
        dnsSearchDomains: null,
        extraHosts: 'HostEntry',
        dockerSecurityOptions: null,
        interactive: null,
        pseudoTerminal: null,
        dockerLabels: null,
        ulimits: 'Ulimit',
        logConfiguration: 'LogConfiguration',
        healthCheck: 'HealthCheck',
        systemControls: 'SystemControl',
        resourceRequirements: 'ResourceRequirement',
        firelensConfiguration: 'FirelensConfiguration',
        credentialSpecs: null,
    },
    ContainerDependency: { containerName: null, condition: null },
    ContainerRestartPolicy: { enabled: null, ignoredExitCodes: null, restartAttemptPeriod: null },
    Device: { hostPath: null, containerPath: null, permissions: null },
    DockerVolumeConfiguration: {
        scope: null,
        autoprovision: null,
        driver: null,
        driverOpts: null,
        labels: null,
    },
    EFSAuthorizationConfig: { accessPointId: null, iam: null },
    EFSVolumeConfiguration: {
        fileSystemId: null,
        rootDirectory: null,
        transitEncryption: null,
        transitEncryptionPort: null,
        authorizationConfig: 'EFSAuthorizationConfig',
    },
    EnvironmentFile: { value: null, type: null },
    EphemeralStorage: { sizeInGiB: null },
    FirelensConfiguration: { type: null, options: null },
    FSxWindowsFileServerAuthorizationConfig: { credentialsParameter: null, domain: null },
    FSxWindowsFileServerVolumeConfiguration: {
        fileSystemId: null,
        rootDirectory: null,
        authorizationConfig: 'FSxWindowsFileServerAuthorizationConfig',
    },
    HealthCheck: { command: null, interval: null, timeout: null, retries: null, startPeriod: null },
    HostEntry: { hostname: null, ipAddress: null },
    HostVolumeProperties: { sourcePath: null },
    InferenceAccelerator: { deviceName: null, deviceType: null },
    KernelCapabilities: { add: null, drop: null },
    KeyValuePair: { name: null, value: null },
    LinuxParameters: {
        capabilities: 'KernelCapabilities',
        devices: 'Device',
        initProcessEnabled: null,
        sharedMemorySize: null,
        tmpfs: 'Tmpfs',
        maxSwap: null,
        swappiness: null,
    },
    LogConfiguration: { logDriver: null, options: null, secretOptions: 'Secret' },
    MountPoint: { sourceVolume: null, containerPath: null, readOnly: null },
    PortMapping: {
        containerPort: null,
        hostPort: null,
        protocol: null,
        name: null,
        appProtocol: null,
        containerPortRange: null,
    },
    ProxyConfiguration: { containerName: null, type: null, properties: 'KeyValuePair' },
    RegisterTaskDefinitionRequest: {
        family: null,
        containerDefinitions: 'ContainerDefinition',
        taskRoleArn: null,
        executionRoleArn: null,
        networkMode: null,
        volumes: 'Volume',
        placementConstraints: 'TaskDefinitionPlacementConstraint',
        requiresCompatibilities: null,
        cpu: null,
        memory: null,
        tags: 'Tag',
        pidMode: null,
        ipcMode: null,
        proxyConfiguration: 'ProxyConfiguration',
        inferenceAccelerators: 'InferenceAccelerator',
        ephemeralStorage: 'EphemeralStorage',
        runtimePlatform: 'RuntimePlatform',
        enableFaultInjection: null,
    },
    RepositoryCredentials: { credentialsParameter: null },
    ResourceRequirement: { type: null, value: null, sharingStrategy: null },
    RuntimePlatform: { cpuArchitecture: null, operatingSystemFamily: null },
    S3FilesVolumeConfiguration: {
        fileSystemArn: null,
        rootDirectory: null,
        transitEncryptionPort: null,
        accessPointArn: null,
    },
    Secret: { name: null, valueFrom: null },
    SystemControl: { namespace: null, value: null },
    Tag: { key: null, value: null },
    TaskDefinitionPlacementConstraint: { type: null, expression: null },
    Tmpfs: { containerPath: null, size: null, mountOptions: null },
    Ulimit: { name: null, softLimit: null, hardLimit: null },
    Volume: {
        name: null,
        host: 'HostVolumeProperties',
        dockerVolumeConfiguration: 'DockerVolumeConfiguration',
        efsVolumeConfiguration: 'EFSVolumeConfiguration',
        s3filesVolumeConfiguration: 'S3FilesVolumeConfiguration',
        fsxWindowsFileServerVolumeConfiguration: 'FSxWindowsFileServerVolumeConfiguration',
        configuredAtLaunch: null,
    },
    VolumeFrom: { sourceContainer: null, readOnly: null },
};

;// CONCATENATED MODULE: ./src/taskdef/validate.ts

function validate_isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Edit distance with adjacent transpositions (the commonest typo), case-insensitive. */
function editDistance(a, b) {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    const d = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    const at = (i, j) => d[i]?.[j] ?? Infinity;
    for (let i = 1; i <= s.length; i++) {
        for (let j = 1; j <= t.length; j++) {
            const cost = s[i - 1] === t[j - 1] ? 0 : 1;
            let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
            if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
                best = Math.min(best, at(i - 2, j - 2) + 1);
            }
            d[i][j] = best;
        }
    }
    return at(s.length, t.length);
}
/** The closest valid key, if it is close enough to be a plausible typo. */
function nearest(key, candidates) {
    let best;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const distance = editDistance(key, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    const limit = Math.max(2, Math.floor(key.length / 3));
    return bestDistance <= limit ? best : undefined;
}
function shapesHaving(key) {
    return Object.entries(SHAPES)
        .filter(([, members]) => key in members)
        .map(([name]) => name);
}
/**
 * Every key of the document checked against RegisterTaskDefinition's shape, as the SDK would silently
 * drop what it does not know. Values that are not objects where a structure belongs are left to ECS,
 * which names them itself; free-form maps (dockerLabels, options, driverOpts) are not checked.
 */
function findUnknownKeys(doc, shape = ROOT_SHAPE, path = '') {
    const members = SHAPES[shape];
    if (!members)
        return [];
    if (Array.isArray(doc))
        return doc.flatMap((item, i) => findUnknownKeys(item, shape, `${path}[${i}]`));
    if (!validate_isObject(doc))
        return [];
    const found = [];
    for (const [key, value] of Object.entries(doc)) {
        const where = path === '' ? key : `${path}.${key}`;
        if (!(key in members)) {
            const suggestion = nearest(key, Object.keys(members));
            found.push({ path: where, key, suggestion, belongsIn: suggestion ? [] : shapesHaving(key) });
            continue;
        }
        const child = members[key];
        if (child)
            found.push(...findUnknownKeys(value, child, where));
    }
    return found;
}
/** "containerDefinitions[1].enviroment: unknown key, did you mean environment?" */
function describeUnknownKey(unknown) {
    if (unknown.suggestion)
        return `${unknown.path}: unknown key, did you mean ${unknown.suggestion}?`;
    if (unknown.belongsIn.length > 0) {
        return `${unknown.path}: unknown key here (it is a key of ${unknown.belongsIn.join(', ')})`;
    }
    return `${unknown.path}: unknown key`;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/taskdef/write.ts




/** A family name made safe for a file name; ECS families are [A-Za-z0-9_-] already, files from users may not be. */
function fileSafe(family) {
    const raw = typeof family === 'string' ? family : '';
    const safe = raw.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 100);
    return safe === '' ? 'unnamed' : safe;
}
/**
 * Writes the rendered task definition as pretty JSON and returns its path, so later steps (and people
 * reading the log) can see exactly what was registered. The random part keeps parallel jobs on one runner
 * from overwriting each other's file; 'wx' refuses to follow a planted file.
 */
async function writeRenderedTaskDefinition(td, dir) {
    const target = dir ?? (process.env['RUNNER_TEMP'] || (0,external_node_os_.tmpdir)());
    await (0,promises_.mkdir)(target, { recursive: true });
    const path = (0,external_node_path_.join)(target, `task-definition-${fileSafe(td['family'])}-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.json`);
    await (0,promises_.writeFile)(path, `${JSON.stringify(td, null, 2)}\n`, { encoding: 'utf8', flag: 'wx' });
    return path;
}

;// CONCATENATED MODULE: ./src/taskdef/stage.ts












/** Unknown keys fail (or only warn, with allow-unknown-keys) before anything is written. */
function checkKeys(doc, source, allow) {
    const unknown = findUnknownKeys(doc);
    if (unknown.length === 0)
        return doc;
    const lines = unknown.map(describeUnknownKey);
    if (!allow) {
        const more = lines.length > 1 ? ` (and ${lines.length - 1} more: ${lines.slice(1).join('; ')})` : '';
        throw new errors/* UserError */.yo(`Task definition '${source}': ${lines[0]}${more}. Fix it, or set allow-unknown-keys: true to drop unknown keys with a warning.`);
    }
    for (const line of lines)
        core/* warning */.$e(`Task definition '${source}': ${line} (dropped)`);
    const copy = structuredClone(doc);
    for (const u of unknown)
        dropPath(copy, u.path);
    return copy;
}
/** Deletes the key at a path written as `a[1].b.c`. */
function dropPath(doc, path) {
    const parts = path.split(/\.|(?=\[)/).map((p) => (p.startsWith('[') ? Number(p.slice(1, -1)) : p));
    let node = doc;
    for (const part of parts.slice(0, -1))
        node = node?.[part];
    const last = parts.at(-1);
    if (typeof node === 'object' && node !== null && typeof last === 'string') {
        delete node[last];
    }
}
/** Reads and checks only: loads the base and the current revision, checks keys, containers and changes. */
async function planTaskDefinition(ecs, inputs, service, log) {
    const running = await loadServiceTaskDefinition(ecs, service.cluster, service.service);
    const current = { arn: running.arn, taskDefinition: withTags(running.taskDefinition, running.tags) };
    const loaded = inputs.source === undefined
        ? { taskDefinition: current.taskDefinition, source: current.arn }
        : await loadSource(ecs, inputs.source);
    const base = checkKeys(cleanTaskDefinition(loaded.taskDefinition), loaded.source, inputs.allowUnknownKeys);
    const containers = resolveContainers(base, inputs.containers);
    // A trial render surfaces every remaining mistake (say, log options for a container without a
    // logConfiguration) now, before anything is pushed.
    renderTaskDefinition(base, {
        containers,
        image: 'placeholder',
        images: inputs.images,
        changes: inputs.changes,
    });
    log(`Task definition: ${loaded.source}`);
    log(`Service runs: ${current.arn}`);
    log(`Containers to update: ${containers.map((c) => (inputs.images[c] ? `${c} (${inputs.images[c]})` : c)).join(', ')}`);
    return { base, source: loaded.source, containers, inputs, current };
}
/** Renders with the pushed image (if any), writes the file (output `task-definition`) and prints the diff. */
async function renderStage(plan, imageUri, log = (line) => core/* info */.pq(line)) {
    const taskDefinition = renderTaskDefinition(plan.base, {
        containers: plan.containers,
        image: imageUri,
        images: plan.inputs.images,
        changes: plan.inputs.changes,
    });
    const path = await writeRenderedTaskDefinition(taskDefinition);
    core/* setOutput */.uH('task-definition', path);
    log(`Rendered ${path}`);
    const changes = formatChanges(diffTaskDefinitions(plan.current.taskDefinition, taskDefinition));
    if (changes.length === 0)
        log(`No changes against ${plan.current.arn}`);
    else
        log(`Changes against ${plan.current.arn}:\n${changes.map((c) => `  ${c}`).join('\n')}`);
    return { taskDefinition, path, changes };
}
/** Registers the rendered revision, or reuses the current one when nothing changed. Sets the outputs. */
async function registerStage(ecs, plan, rendered, log) {
    let result;
    if (rendered.changes.length === 0) {
        const revision = Number(/:(\d+)$/.exec(plan.current.arn)?.[1] ?? 0);
        const family = /task-definition\/([^:]+)/.exec(plan.current.arn)?.[1] ?? '';
        result = { arn: plan.current.arn, family, revision, changed: false };
        log(`Reused ${plan.current.arn}: the rendered task definition equals it`);
    }
    else {
        const input = rendered.taskDefinition;
        const registered = await registerTaskDefinition(ecs, input);
        result = { ...registered, changed: true };
        log(`Registered ${registered.arn}`);
    }
    core/* setOutput */.uH('task-definition-arn', result.arn);
    core/* setOutput */.uH('task-definition-revision', String(result.revision));
    core/* setOutput */.uH('task-definition-changed', String(result.changed));
    return result;
}
/** The dry-run summary: what would be registered and what it changes. Pure, for tests. */
function dryRunSummary(plan, rendered) {
    const diff = rendered.changes.length === 0 ? ['(no changes: the current revision would be reused)'] : rendered.changes;
    return [
        '## Dry run: nothing was pushed, registered or deployed',
        '',
        `Compared with \`${plan.current.arn}\`; rendered file \`${rendered.path}\`.`,
        '',
        '<pre>',
        ...diff.map(escapeHtml),
        '</pre>',
        '',
        '<details>',
        '<summary>Rendered task definition</summary>',
        '',
        '<pre>',
        escapeHtml(JSON.stringify(stage_maskSecrets(rendered.taskDefinition), null, 2)),
        '</pre>',
        '',
        '</details>',
        '',
    ].join('\n');
}
/** Secret references stay out of the summary (the rendered file on the runner has them). */
function stage_maskSecrets(td) {
    const copy = structuredClone(td);
    for (const c of Array.isArray(copy['containerDefinitions']) ? copy['containerDefinitions'] : []) {
        if (typeof c !== 'object' || c === null)
            continue;
        const container = c;
        if (Array.isArray(container['secrets'])) {
            container['secrets'] = container['secrets'].map((s) => ({ ...s, valueFrom: '(hidden)' }));
        }
    }
    return copy;
}
/**
 * `dry-run: true`: everything up to the first write. The ECR login is checked (GetAuthorizationToken
 * reads only) so the image reference shows the real registry; the digest is not known without a push.
 */
async function dryRunStage(ecr, plan, image, ecrPlan, log) {
    let pending;
    if (image) {
        // The same login and destination the push would use: another account's registry or ECR Public included.
        const login = pushTarget(await registryLogin(ecr, ecrPlan), ecrPlan);
        log(`ECR login works for ${login.registry}`);
        pending = `${login.registry}/${pushRepository(ecrPlan, image.repository)}@sha256:(digest of the push)`;
    }
    const rendered = await renderStage(plan, pending, log);
    core/* setOutput */.uH('task-definition-changed', String(rendered.changes.length > 0));
    await core/* summary */.z.addRaw(dryRunSummary(plan, rendered)).write();
    log('Dry run: stopping before the first write');
    return rendered;
}

;// CONCATENATED MODULE: ./src/plan.ts







/**
 * Reads and checks only. Every mistake a user can make in the step's configuration surfaces here, so a bad
 * input never leaves a pushed image or a registered revision behind.
 */
async function preparePlan(ecs, inputs, log, ecr) {
    const { cluster, service } = inputs.deploy;
    const services = [];
    for (const each of inputs.deploy.services)
        services.push(await assertServiceActive(ecs, cluster, each));
    checkStrategyPlan(services, inputs.strategy);
    const taskDefinition = await planTaskDefinition(ecs, inputs.taskDefinition, { cluster, service }, log);
    const { runTask } = inputs.deploy;
    const runTaskContainer = runTask
        ? overrideContainer(runTask, containersOf(taskDefinition.base), taskDefinition.containers)
        : undefined;
    const image = inputs.image ? await preferLocalImage(inputs.image) : undefined;
    const ecrPlan = image ? await planEcr(ecr, image, inputs.registry, log) : undefined;
    // A promotion's source was read from ECR itself; there is nothing else to open.
    if (image && !ecrPlan?.promotion)
        await checkImageSource(image);
    return { taskDefinition, runTaskContainer, ecr: ecrPlan, image, services };
}
async function assertServiceActive(ecs, cluster, service) {
    let found;
    try {
        const out = await ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: [service] }));
        found = out.services?.find((s) => s.status !== 'INACTIVE');
    }
    catch (err) {
        if (err instanceof Error && err.name === 'ClusterNotFoundException') {
            throw (0,errors/* inputError */.Xu)('cluster', cluster, 'an existing ECS cluster');
        }
        throw err;
    }
    if (!found)
        throw new errors/* UserError */.yo(`Service '${service}' was not found in cluster '${cluster}' (or is inactive).`);
    return found;
}

;// CONCATENATED MODULE: ./src/pipeline.ts










const log = (line) => core/* info */.pq(line);
/**
 * The whole step after inputs are valid: plan (reads only), publish, render, register, deploy and watch,
 * report. Each stage lives with its area (image/, taskdef/, deploy/) and sets its own outputs.
 */
async function ship(inputs) {
    const { ecs, ecr } = createClients(inputs.awsRegion);
    const plan = await core/* group */.Os('Plan', () => preparePlan(ecs, inputs, log, ecr));
    // Undefined when every container names its own image (`name=IMAGE`): nothing to push.
    const imageInputs = plan.image;
    if (inputs.taskDefinition.dryRun) {
        await core/* group */.Os('Dry run', () => dryRunStage(ecr, plan.taskDefinition, imageInputs, plan.ecr, log));
        return;
    }
    const image = imageInputs
        ? await core/* group */.Os(`Publish ${imageInputs.image}`, () => publishImage(ecr, imageInputs, log, plan.ecr))
        : undefined;
    const { scanGate } = inputs.registry;
    if (image && scanGate && plan.ecr) {
        const { repository } = plan.ecr;
        const pollMs = inputs.deploy.pollSeconds * 1000;
        await core/* group */.Os('Scan gate', () => scanGateStage(ecr, repository, image.digest, scanGate, { pollMs, log }));
    }
    const registered = await core/* group */.Os('Register task definition', async () => registerStage(ecs, plan.taskDefinition, await renderStage(plan.taskDefinition, image?.imageUri), log));
    const outcome = await deployStage(ecs, inputs.deploy, {
        arn: registered.arn,
        containers: containersOf(plan.taskDefinition.base),
        runTaskContainer: plan.runTaskContainer,
    }, log, { inputs: inputs.strategy, described: plan.services });
    await writeSummary({
        image: imageInputs?.image ?? '',
        imageUri: image?.imageUri ?? '',
        digest: image?.digest ?? '',
        tags: imageInputs?.tags ?? [],
        taskDefinitionArn: registered.arn,
        revision: registered.revision,
        cluster: inputs.deploy.cluster,
        outcome,
    });
    if (outcome.failure !== undefined)
        throw new errors/* UserError */.yo(outcome.failure);
}


/***/ })

};
