export const id = 694;
export const ids = [694];
export const modules = {

/***/ 9694:
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
/**
 * Endpoints come from the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_ECR
 * handling, so the sandbox and LocalStack need no special path here. Standard retries cover
 * throttling and 5xx; the watcher adds its own patience on top.
 */
function createClients(region) {
    const common = { region, maxAttempts: 5, retryMode: 'standard', customUserAgent: USER_AGENT };
    return { ecs: new client_ecs_dist_cjs/* ECSClient */.Zgc(common), ecr: new dist_cjs/* ECRClient */.S70(common) };
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

;// CONCATENATED MODULE: ./src/deploy/judge.ts
const NOT_DONE = { done: false };
function failed(reason, state = 'FAILED') {
    return { done: true, success: false, state, reason };
}
/** `arn:...:task-definition/web:7` → `web:7`; anything else is shown as given. */
function revisionName(taskDefinition) {
    if (!taskDefinition)
        return 'an unknown revision';
    const slash = taskDefinition.lastIndexOf('/');
    return slash >= 0 ? taskDefinition.slice(slash + 1) : taskDefinition;
}
/** The last path segment of a task ARN, which is what the console and the CLI call the task id. */
function taskId(taskArn) {
    if (!taskArn)
        return '?';
    return taskArn.slice(taskArn.lastIndexOf('/') + 1);
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
const PULL_ERROR = 'CannotPullContainerError';
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
function withReason(text, reason) {
    return reason ? `${text}: ${reason}` : text;
}
/** What the service runs now, for "rolled back to ..." when ours is no longer PRIMARY. */
function currentRevision(service, target) {
    const primary = primaryDeployment(service);
    if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
        return revisionName(primary.taskDefinition);
    }
    return undefined;
}
function judgeServiceDeployment(sd, snapshot, target) {
    const status = sd.status;
    const note = circuitBreakerNote(sd);
    const backOn = currentRevision(snapshot.service, target);
    const ours = revisionName(target.taskDefinitionArn);
    switch (status) {
        case 'SUCCESSFUL': {
            if (backOn) {
                return failed(`The deployment of ${ours} finished, but the service now runs ${backOn}: someone else deployed`);
            }
            return {
                done: true,
                success: true,
                state: 'SUCCESSFUL',
                reason: `ECS reports the deployment of ${ours} SUCCESSFUL`,
            };
        }
        case 'ROLLBACK_SUCCESSFUL':
            return failed(withReason(`ECS rolled back the deployment of ${ours}; the service is back on ${backOn ?? 'the previous revision'}${note}`, sd.statusReason), 'ROLLED_BACK');
        case 'ROLLBACK_REQUESTED':
        case 'ROLLBACK_IN_PROGRESS':
            return failed(withReason(`ECS is rolling back the deployment of ${ours}${backOn ? ` to ${backOn}` : ''}${note}`, sd.statusReason));
        case 'ROLLBACK_FAILED':
            return failed(withReason(`The deployment of ${ours} failed and so did ECS's rollback${note}`, sd.statusReason));
        case 'STOPPED':
        case 'STOP_REQUESTED':
            return failed(withReason(`The deployment of ${ours} was stopped (${status})${note}`, sd.statusReason));
        case 'FAILED':
            return failed(withReason(`The deployment of ${ours} failed${note}`, sd.statusReason));
        default:
            return NOT_DONE;
    }
}
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
        return failed(withReason(text, ours.rolloutStateReason), rolledBack ? 'ROLLED_BACK' : 'FAILED');
    }
    const primary = primaryDeployment(service);
    if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
        return failed(`The service's PRIMARY deployment runs ${revisionName(primary.taskDefinition)}, not ${name}: ` +
            'someone else deployed, or ECS rolled back');
    }
    const pull = pullFailure(snapshot.stoppedTasks);
    if (pull)
        return failed(pull);
    // Without the service-deployment API, the classic rule: ours is PRIMARY, COMPLETED, at full
    // count, and nothing else is still draining.
    if (!serviceDeployment && ours && ours === primary && service.deployments?.length === 1) {
        const rolloutDone = ours.rolloutState === 'COMPLETED';
        // A service behind a Classic Load Balancer never gets a rolloutState; counts are all ECS gives.
        const noRolloutState = ours.rolloutState === undefined;
        const full = ours.runningCount === ours.desiredCount && (ours.pendingCount ?? 0) === 0;
        if ((rolloutDone || noRolloutState) && full) {
            return {
                done: true,
                success: true,
                state: 'SUCCESSFUL',
                reason: `${name} is the only deployment, ${rolloutDone ? 'COMPLETED, ' : ''}running ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0}`,
            };
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
    }
    const head = `task ${taskId(task.taskArn)} stopped: ${task.stoppedReason ?? 'no reason given'}`;
    return [head, ...details].join('; ');
}
/**
 * Remembers what was already printed so each poll prints only what changed. Deterministic and free of
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
}

;// CONCATENATED MODULE: ./src/deploy/watch.ts




// ECS timestamps come from AWS's clock, startedAt from the runner's; allow for drift between them.
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 30_000;
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
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function serviceName(service) {
    // ListTasks wants a bare name; the input may be a service ARN (…:service/cluster/name).
    return service.slice(service.lastIndexOf('/') + 1);
}
function elapsed(ms) {
    return `[${String(Math.max(0, Math.round(ms / 1000))).padStart(4)}s]`;
}
class Watcher {
    ecs;
    target;
    opts;
    sleep;
    now;
    tracker;
    timeline = [];
    seenTasks = new Set();
    stoppedTasks = [];
    revisionTaskDefs = new Map();
    sdMode = 'search';
    sdArn;
    constructor(ecs, target, opts) {
        this.ecs = ecs;
        this.target = target;
        this.opts = opts;
        this.sleep = opts.sleep ?? realSleep;
        this.now = opts.now ?? Date.now;
        this.tracker = new ChangeTracker(target);
    }
    print(text) {
        const at = this.now();
        const line = `${elapsed(at - this.target.startedAt.getTime())} ${text}`;
        this.timeline.push({ at: new Date(at), text: line });
        this.opts.log(line);
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
    result(state, success, reason, snapshot) {
        return {
            state,
            success,
            reason,
            serviceDeploymentArn: this.sdArn,
            deploymentId: this.target.deploymentId ?? ourDeployment(snapshot.service, this.target)?.id,
            durationMs: Math.max(0, this.now() - this.target.startedAt.getTime()),
            timeline: this.timeline,
        };
    }
    verdictForError(err) {
        const action = err instanceof CallError ? err.action : 'ecs';
        const cause = err instanceof CallError ? err.cause : err;
        const detail = `${errorName(cause)}: ${cause instanceof Error ? cause.message : String(cause)}`;
        const fail = (reason) => ({ done: true, success: false, state: 'FAILED', reason });
        switch (classifyAwsError(cause)) {
            case 'transient':
                return 'retry';
            case 'denied':
                return fail(`Access denied for ${action}: allow it in the deploy role's IAM policy (${detail})`);
            case 'not-found':
                return fail(`Service ${this.target.service} in cluster ${this.target.cluster} not found (${detail})`);
            default:
                return fail(`${action} failed: ${detail}`);
        }
    }
    async run() {
        const pollMs = Math.max(1, this.opts.pollSeconds * 1000);
        const deadline = this.now() + this.opts.timeoutMinutes * 60_000;
        const rev = revisionName(this.target.taskDefinitionArn);
        this.print(`watching ${rev} roll out on ${this.target.service} (cluster ${this.target.cluster}); ` +
            `polling every ${this.opts.pollSeconds}s, timeout ${this.opts.timeoutMinutes} min`);
        let last = {
            service: undefined,
            serviceDeployment: undefined,
            stoppedTasks: this.stoppedTasks,
        };
        let polled = false;
        let failures = 0;
        let lastError;
        for (;;) {
            let verdict;
            try {
                const service = await this.describeService();
                // A deleted service is a verdict already; its deployments and tasks add nothing.
                const serviceDeployment = service ? await this.serviceDeployment() : undefined;
                const newly = service ? await this.newlyStoppedTasks() : [];
                last = { service, serviceDeployment, stoppedTasks: this.stoppedTasks };
                polled = true;
                failures = 0;
                lastError = undefined;
                for (const line of this.tracker.changes(last, newly))
                    this.print(line);
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
                return this.result(verdict.state, verdict.success, verdict.reason, last);
            }
            const remaining = deadline - this.now();
            if (remaining <= 0) {
                const pending = polled ? describePending(last, this.target) : 'ECS never answered';
                const reason = `Timed out after ${this.opts.timeoutMinutes} min waiting for ${rev}: ${pending}` +
                    (lastError ? `; last error: ${lastError}` : '');
                this.print(`TIMED_OUT: ${reason}`);
                return this.result('TIMED_OUT', false, reason, last);
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

;// CONCATENATED MODULE: ./src/deploy/stage.ts



/** The deploy stage: update the service to the registered revision and, unless told not to, watch it. */
async function deployStage(ecs, inputs, taskDefinitionArn, log) {
    const { cluster, service, wait, pollSeconds, timeoutMinutes } = inputs;
    const target = await updateService(ecs, { cluster, service, taskDefinitionArn });
    log(`Updated service ${service} in cluster ${cluster}: deployment ${target.deploymentId ?? '(id not reported)'}`);
    core/* setOutput */.uH('deployment-id', target.deploymentId ?? '');
    // Not in a group: a rollout is what people watch live, and a collapsed group hides it.
    const rollout = wait ? await watchRollout(ecs, target, { pollSeconds, timeoutMinutes, log }) : undefined;
    core/* setOutput */.uH('rollout-state', rollout?.state ?? 'NOT_WAITED');
    return rollout;
}

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(1260);
;// CONCATENATED MODULE: ./src/image/reference.ts
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
        const digest = parseDigestFromPushOutput(pushed.stdout);
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

;// CONCATENATED MODULE: ./src/image/ecr-login.ts



/**
 * Credentials for `docker login` to the account's ECR registry. Both the base64 token and the decoded
 * password are masked before this function returns or logs anything, so no later line can leak them.
 */
async function getEcrLogin(ecr) {
    const response = await ecr.send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6({}));
    const data = response.authorizationData?.[0];
    const token = data?.authorizationToken;
    if (token)
        core/* setSecret */.Pq(token);
    if (!data || !token || !data.proxyEndpoint) {
        throw new Error('ECR GetAuthorizationToken returned no authorization data.');
    }
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    if (password !== '')
        core/* setSecret */.Pq(password);
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

;// CONCATENATED MODULE: ./src/image/stage.ts




/** Reads only: the image to publish must be there before anything is written anywhere. */
async function checkImageSource(inputs) {
    if (!(await imageExists(inputs.image))) {
        throw (0,errors/* inputError */.Xu)('image', inputs.image, 'an image the local Docker daemon has (build or pull it first)');
    }
}
/** The publishing stage: ECR login, tag and push; sets the image outputs. */
async function publishImage(ecr, inputs, log) {
    const { image, repository, tags } = inputs;
    const login = await getEcrLogin(ecr);
    await dockerLogin(login);
    log(`Logged in to ${login.registry}`);
    const pushed = await pushImage({ image, registry: login.registry, repository, tags, log });
    core/* setOutput */.uH('image-uri', pushed.imageUri);
    core/* setOutput */.uH('image-digest', pushed.digest);
    return pushed;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/taskdef/load.ts





function isObject(value) {
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
    if (isObject(doc) && !('containerDefinitions' in doc) && isObject(doc['taskDefinition'])) {
        doc = doc['taskDefinition'];
    }
    if (!isObject(doc)) {
        const kind = Array.isArray(doc) ? 'a list' : doc === null ? 'null' : `a ${typeof doc}`;
        throw new errors/* UserError */.yo(`Task definition file '${path}' holds ${kind}: expected an object.`);
    }
    const containers = doc['containerDefinitions'];
    if (!Array.isArray(containers) || containers.length === 0) {
        throw new errors/* UserError */.yo(`Task definition file '${path}' has no 'containerDefinitions' list: expected at least one container.`);
    }
    if (!containers.every(isObject)) {
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

;// CONCATENATED MODULE: ./src/taskdef/render.ts

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
function containerList(td) {
    const list = td['containerDefinitions'];
    if (!Array.isArray(list))
        return [];
    return list.filter((c) => typeof c === 'object' && c !== null);
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
 * The task definition to register: read-only keys and top-level nulls (the console's JSON export writes
 * `"ephemeralStorage": null` and the like, which RegisterTaskDefinition rejects) removed, the named
 * containers pointed at `image`. Everything else is copied untouched, including empty strings and zeros,
 * which are meaningful (an empty environment value is a legal, deliberate setting).
 */
function renderTaskDefinition(td, change) {
    const names = containerNames(td);
    const missing = change.containers.filter((n) => !names.includes(n));
    if (missing.length > 0) {
        throw new errors/* UserError */.yo(`Cannot set the image of container(s) ${missing.join(', ')}: not in the task definition (it has: ${names.join(', ')}).`);
    }
    const out = {};
    for (const [key, value] of Object.entries(td)) {
        if (READ_ONLY_KEYS.includes(key) || value === null)
            continue;
        out[key] = structuredClone(value);
    }
    const targets = new Set(change.containers);
    for (const container of containerList(out)) {
        if (typeof container['name'] === 'string' && targets.has(container['name'])) {
            container['image'] = change.image;
        }
    }
    return out;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
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




/** Reads and checks only: loads the base and resolves which containers change. */
async function planTaskDefinition(ecs, inputs, service, log) {
    let loaded;
    if (inputs.source !== undefined) {
        loaded = { base: await loadTaskDefinitionFile(inputs.source), source: inputs.source, tags: [] };
    }
    else {
        const current = await loadServiceTaskDefinition(ecs, service.cluster, service.service);
        loaded = { base: current.taskDefinition, source: current.arn, tags: current.tags };
    }
    const containers = resolveContainers(loaded.base, inputs.containers);
    log(`Task definition: ${loaded.source}`);
    log(`Containers to update: ${containers.join(', ')}`);
    return { ...loaded, containers };
}
/** The rendering stage: the new image in place, written to disk (output `task-definition`). */
async function renderStage(plan, imageUri) {
    const rendered = renderTaskDefinition(plan.base, { containers: plan.containers, image: imageUri });
    core/* setOutput */.uH('task-definition', await writeRenderedTaskDefinition(rendered));
    const input = { ...rendered };
    if (plan.tags.length > 0)
        input.tags = plan.tags;
    return input;
}

;// CONCATENATED MODULE: ./src/plan.ts




/**
 * Reads and checks only. Every mistake a user can make in the step's configuration surfaces here, so a bad
 * input never leaves a pushed image or a registered revision behind.
 */
async function preparePlan(ecs, inputs, log) {
    const { cluster, service } = inputs.deploy;
    await assertServiceActive(ecs, cluster, service);
    const taskDefinition = await planTaskDefinition(ecs, inputs.taskDefinition, { cluster, service }, log);
    await checkImageSource(inputs.image);
    return { taskDefinition };
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
function headline(report) {
    const where = escapeMarkdown(`${report.service} (cluster ${report.cluster})`);
    const r = report.rollout;
    if (!r || r.state === 'NOT_WAITED')
        return `## ✅ Updated ${where}, rollout not watched`;
    if (r.success)
        return `## ✅ Deployed to ${where}`;
    const what = {
        ROLLED_BACK: 'was rolled back',
        TIMED_OUT: 'timed out',
        FAILED: 'failed',
    };
    return `## ❌ Rollout to ${where} ${what[r.state] ?? 'failed'}`;
}
function revisionLabel(report) {
    const name = report.taskDefinitionArn.slice(report.taskDefinitionArn.lastIndexOf('/') + 1);
    return name.endsWith(`:${report.revision}`) ? name : `${name} (revision ${report.revision})`;
}
/** The job summary as markdown. Pure, so every verdict's rendering is table-tested. */
function renderSummary(report) {
    const r = report.rollout;
    const rows = [
        ['Image', code(report.imageUri || report.image)],
        ['Tags', report.tags.length > 0 ? report.tags.map(code).join(', ') : '—'],
        ['Digest', code(report.digest)],
        ['Task definition', code(revisionLabel(report))],
        ['Cluster', code(report.cluster)],
        ['Service', code(report.service)],
        ['Rollout', r ? code(r.state) : code('NOT_WAITED')],
        ['Duration', r && r.state !== 'NOT_WAITED' ? formatDuration(r.durationMs) : '—'],
    ];
    const parts = [headline(report), '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''];
    if (r && !r.success)
        parts.push(`**Reason:** ${escapeMarkdown(r.reason)}`, '');
    if (r && r.timeline.length > 0) {
        parts.push('<details>', `<summary>Rollout timeline (${r.timeline.length} lines)</summary>`, '', '<pre>', ...r.timeline.map((t) => escapeHtml(t.text)), '</pre>', '', '</details>', '');
    }
    return parts.join('\n');
}
async function writeSummary(report) {
    await core/* summary */.z.addRaw(renderSummary(report)).write();
}

;// CONCATENATED MODULE: ./src/pipeline.ts









const log = (line) => core/* info */.pq(line);
/**
 * The whole step after inputs are valid: plan (reads only), publish, render, register, deploy and watch,
 * report. Each stage lives with its area (image/, taskdef/, deploy/) and sets its own outputs.
 */
async function ship(inputs) {
    const { ecs, ecr } = createClients(inputs.awsRegion);
    const plan = await core/* group */.Os('Plan', () => preparePlan(ecs, inputs, log));
    const image = await core/* group */.Os(`Publish ${inputs.image.image}`, () => publishImage(ecr, inputs.image, log));
    const registered = await core/* group */.Os('Register task definition', async () => {
        const result = await registerTaskDefinition(ecs, await renderStage(plan.taskDefinition, image.imageUri));
        log(`Registered ${result.arn}`);
        core/* setOutput */.uH('task-definition-arn', result.arn);
        return result;
    });
    const rollout = await deployStage(ecs, inputs.deploy, registered.arn, log);
    await writeSummary({
        image: inputs.image.image,
        imageUri: image.imageUri,
        digest: image.digest,
        tags: inputs.image.tags,
        taskDefinitionArn: registered.arn,
        revision: registered.revision,
        cluster: inputs.deploy.cluster,
        service: inputs.deploy.service,
        rollout,
    });
    if (rollout && !rollout.success)
        throw new errors/* UserError */.yo(`Rollout ${rollout.state}: ${rollout.reason}`);
}


/***/ })

};
