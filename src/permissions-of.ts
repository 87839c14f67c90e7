// What `neededPolicy` (permissions.ts) is told about a run: which features its inputs turn on and the names
// the plan found (account, cluster, services, family, repository, roles, CodeDeploy group, load balancer).
import { accountOf } from './aws/arn.js';
import type { Inputs } from './inputs.js';
import type { Plan } from './plan.js';
import { neededPolicy, type NeededPolicy, type PolicyNames, type RunShape } from './permissions.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const last = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

export function policyForRun(inputs: Inputs, plan: Plan): NeededPolicy {
  const preview = inputs.github?.preview;
  const codeDeploy = plan.services.some((s) => s.deploymentController?.type === 'CODE_DEPLOY');
  const run: RunShape = {
    push: plan.image === undefined ? false : plan.ecr?.ecrPublic ? 'ecr-public' : 'ecr',
    rollback: inputs.deploy.rollback !== 'false',
    codeDeploy,
    runTask: inputs.deploy.runTask !== undefined,
    scanGate: inputs.registry.scanGate !== undefined,
    keepRevisions: inputs.deploy.keepRevisions > 0,
    preview: preview
      ? { listener: preview.listenerArn !== undefined, deleteImages: preview.deleteImages }
      : undefined,
  };
  const serviceArn = plan.services[0]?.serviceArn ?? '';
  const account = accountOf(serviceArn);
  const base = plan.taskDefinition.base;
  const family = str(base['family']);
  const listener = preview?.listenerArn && /:listener\/app\/([^/]+)\//.exec(preview.listenerArn)?.[1];
  const names: PolicyNames = {
    REGION: inputs.awsRegion,
    ACCOUNT: account,
    CLUSTER: inputs.deploy.cluster,
    SERVICE: plan.services.map((s) => s.serviceName ?? last(s.serviceArn ?? '')),
    FAMILY: family,
    REPOSITORY: plan.ecr?.repository.name,
    APPLICATION: inputs.strategy?.codeDeploy?.application,
    DEPLOYMENT_GROUP: inputs.strategy?.codeDeploy?.deploymentGroup,
    LOAD_BALANCER: listener || undefined,
  };
  const roles = [base['taskRoleArn'], base['executionRoleArn']].map(str).filter((r) => r !== undefined);
  return neededPolicy(run, names, roles);
}
