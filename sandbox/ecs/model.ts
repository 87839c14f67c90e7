import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { ContainerBehaviour } from './behaviour.js';

/** State of one region of the ECS sandbox. Times are real wall-clock milliseconds. */

export const ACCOUNT_ID = '123456789012';

export interface Tag {
  key: string;
  value: string;
}

export interface TaskDefinition {
  family: string;
  revision: number;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  /** What RegisterTaskDefinition was given, minus tags. */
  input: Record<string, unknown>;
  tags: Tag[];
  compatibilities: string[];
  registeredAt: number;
  registeredBy: string;
  /** The agent capabilities ECS says the revision needs (filled in at registration, read-only). */
  requiresAttributes: { name: string }[];
  deregisteredAt?: number;
}

export interface ContainerState {
  name: string;
  image: string;
  imageDigest?: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  /** What the container does once running (service tasks; see behaviour.ts). */
  behaviour?: ContainerBehaviour;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

/** Result of the real registry check made when a task reaches PENDING. */
type PullState = { state: 'checking' } | { state: 'ok' } | { state: 'failed'; reason: string };

type TaskStatus =
  'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export interface Task {
  id: string;
  arn: string;
  clusterArn: string;
  clusterName: string;
  serviceName: string;
  taskDefinitionArn: string;
  /** ecs-svc/... of the deployment that started it. */
  startedBy: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  launchType: string;
  cpu?: string;
  memory?: string;
  containers: ContainerState[];
  createdAt: number;
  /** When the current lastStatus began; the scheduler moves the task on from here. */
  statusSince: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  healthyAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  pull?: PullState;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinitionArn: string;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  serviceDeploymentArn: string;
  serviceRevisionArn: string;
  /** Earliest time the scheduler may launch a task for it again (ECS throttles relaunches). */
  nextLaunchAt: number;
}

type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export interface ServiceDeployment {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  serviceName: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  targetRevisionArn: string;
  sourceRevisionArns: string[];
  deploymentConfiguration: DeploymentConfiguration;
  circuitBreaker: {
    status: 'DISABLED' | 'MONITORING' | 'TRIGGERED' | 'MONITORING_COMPLETE';
    failureCount: number;
    threshold: number;
  };
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  /** The ecs-svc deployment now doing the work (the rollback deployment once rolling back). */
  deploymentId: string;
}

export interface ServiceRevision {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  launchType: string;
  createdAt: number;
  networkConfiguration?: unknown;
  /** The service's load balancers when the revision was made (an UpdateService may change them). */
  loadBalancers: unknown[];
}

export interface DeploymentConfiguration {
  maximumPercent: number;
  minimumHealthyPercent: number;
  deploymentCircuitBreaker: { enable: boolean; rollback: boolean };
  strategy: string;
}

interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface Service {
  name: string;
  arn: string;
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinitionArn: string;
  launchType: string;
  /** As CreateService got it (then `launchType` is what its providers run on, and not shown). */
  capacityProviderStrategy: unknown[] | undefined;
  platformVersion: string | undefined;
  propagateTags: string;
  enableExecuteCommand: boolean;
  enableECSManagedTags: boolean;
  networkConfiguration?: unknown;
  deploymentConfiguration: DeploymentConfiguration;
  /** ECS (rolling and ECS-native strategies) or CODE_DEPLOY (sandbox/codedeploy.ts deploys it). */
  deploymentController: 'ECS' | 'CODE_DEPLOY';
  /** As CreateService got them; only stored and shown (no load balancer is modelled). */
  loadBalancers: unknown[];
  deployments: Deployment[];
  /** Newest first, capped at 100 like ECS. */
  events: ServiceEvent[];
  createdAt: number;
  tags: Tag[];
  currentServiceDeploymentArn: string | undefined;
  /** Last time the "unable to consistently start tasks" event was emitted. */
  unstableEventAt?: number;
  /** Last time the "unable to place a task" event was emitted. */
  placementEventAt?: number;
}

export interface Cluster {
  name: string;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  services: Map<string, Service>;
  tags: Tag[];
}

export interface EcsState {
  region: string;
  clusters: Map<string, Cluster>;
  /** family -> revisions in order (index = revision - 1). */
  taskDefinitions: Map<string, TaskDefinition[]>;
  tasks: Map<string, Task>;
  serviceDeployments: Map<string, ServiceDeployment>;
  serviceRevisions: Map<string, ServiceRevision>;
}

export function arn(region: string, resource: string): string {
  return `arn:aws:ecs:${region}:${ACCOUNT_ID}:${resource}`;
}

export function newCluster(region: string, name: string): Cluster {
  return { name, arn: arn(region, `cluster/${name}`), status: 'ACTIVE', services: new Map(), tags: [] };
}

export function newEcsState(region: string): EcsState {
  const state: EcsState = {
    region,
    clusters: new Map(),
    taskDefinitions: new Map(),
    tasks: new Map(),
    serviceDeployments: new Map(),
    serviceRevisions: new Map(),
  };
  state.clusters.set('default', newCluster(region, 'default'));
  return state;
}

/** `ecs-svc/` + 19 digits, like ECS deployment ids. */
export function newDeploymentId(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return `ecs-svc/${digits}`;
}

export function newTaskId(): string {
  return randomBytes(16).toString('hex');
}

export function newRevisionId(): string {
  return newDeploymentId().slice('ecs-svc/'.length);
}

/** Service deployment ids look like `NCWGC2ZR-taawPAYrIaU5`. */
export function newServiceDeploymentId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

export function addEvent(service: Service, now: number, message: string): void {
  service.events.unshift({ id: randomUUID(), createdAt: now, message });
  if (service.events.length > 100) service.events.length = 100;
}

/** Deployment circuit breaker default: 50 % of desired count, at least 3, at most 200 failed tasks. */
export function breakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

export function serviceTasks(state: EcsState, service: Service): Task[] {
  const out: Task[] = [];
  for (const t of state.tasks.values()) {
    if (t.clusterArn === service.clusterArn && t.serviceName === service.name) out.push(t);
  }
  return out;
}
