// ELBv2 (2015-12-01) over the Query protocol: the operations a preview's URL needs, with ELBv2's own error
// codes and wording (PriorityInUse, DuplicateTargetGroupName, ResourceInUse, the *NotFound family).
import { AwsError } from '../http.js';
import type { EcsState } from '../ecs/model.js';
import { stringParam } from '../query.js';
import {
  addRule,
  forwardedTo,
  loadBalancersOf,
  rulesOf,
  type ElbAction,
  type ElbCondition,
  type ElbState,
  type ElbTag,
} from './model.js';
import { integer, missing, page, records, strings, tagsOf, validation, type Params } from './params.js';
import {
  createTargetGroup,
  deleteTargetGroup,
  describeTargetGroups,
  describeTargetHealth,
} from './target-groups.js';
import { listenerView, loadBalancerView, ruleView } from './views.js';

function describeLoadBalancers(state: ElbState, params: Params) {
  const arns = strings(params, 'LoadBalancerArns');
  const names = strings(params, 'Names');
  let lbs = [...state.loadBalancers.values()];
  if (arns)
    lbs = arns.map((a) => state.loadBalancers.get(a) ?? missing('LoadBalancerNotFound', 'load balancers'));
  if (names) {
    lbs = names.map(
      (n) => lbs.find((lb) => lb.name === n) ?? missing('LoadBalancerNotFound', 'load balancers'),
    );
  }
  return page(lbs.map(loadBalancerView), params, 'LoadBalancers');
}

function describeListeners(state: ElbState, params: Params) {
  const lbArn = stringParam(params, 'LoadBalancerArn');
  const arns = strings(params, 'ListenerArns');
  if (!lbArn && !arns) throw validation('You must specify either listener ARNs or a load balancer ARN');
  let listeners = [...state.listeners.values()];
  if (lbArn) {
    if (!state.loadBalancers.has(lbArn)) missing('LoadBalancerNotFound', 'load balancers');
    listeners = listeners.filter((l) => l.loadBalancerArn === lbArn);
  }
  if (arns) listeners = arns.map((a) => state.listeners.get(a) ?? missing('ListenerNotFound', 'listeners'));
  return page(listeners.map(listenerView), params, 'Listeners');
}

function describeRules(state: ElbState, params: Params) {
  const listenerArn = stringParam(params, 'ListenerArn');
  const arns = strings(params, 'RuleArns');
  if (!listenerArn && !arns) throw validation('You must specify either listener rule ARNs or a listener ARN');
  let rules;
  if (listenerArn) {
    if (!state.listeners.has(listenerArn)) missing('ListenerNotFound', 'listeners');
    rules = rulesOf(state, listenerArn);
  } else {
    rules = (arns ?? []).map((a) => state.rules.get(a) ?? missing('RuleNotFound', 'rules'));
  }
  return page(rules.map(ruleView), params, 'Rules');
}

function conditionsOf(params: Params): ElbCondition[] {
  const conditions = records(params, 'Conditions');
  if (conditions.length === 0) throw validation('A rule must have at least one condition');
  return conditions.map((c) => {
    const field = String(c.Field ?? '');
    if (field !== 'host-header' && field !== 'path-pattern')
      throw validation(`Condition field '${field}' is not supported; use host-header or path-pattern`);
    const config = (c[field === 'host-header' ? 'HostHeaderConfig' : 'PathPatternConfig'] ?? {}) as Params;
    const values = strings(config, 'Values') ?? (Array.isArray(c.Values) ? c.Values.map(String) : []);
    if (values.length === 0) throw validation(`A '${field}' condition must have at least one value`);
    const long = values.find((v) => v.length > 128);
    if (long !== undefined)
      throw validation(`The '${field}' condition value '${long}' is longer than 128 characters`);
    return { Field: field, Values: values };
  });
}

function actionsOf(state: ElbState, params: Params): ElbAction[] {
  const actions = records(params, 'Actions');
  if (actions.length === 0) throw validation('A rule must have at least one action');
  return actions.map((a) => {
    const action = a as unknown as ElbAction;
    if (action.Type !== 'forward' && action.Type !== 'fixed-response')
      throw validation(`Action type '${String(action.Type)}' is not supported here`);
    if (action.Type === 'forward') {
      const groups = forwardedTo(action);
      if (groups.length === 0) throw validation('A forward action must name a target group');
      for (const g of groups) if (!state.targetGroups.has(g)) missing('TargetGroupNotFound', 'target groups');
    }
    return action;
  });
}

function createRule(state: ElbState, params: Params) {
  const listener = state.listeners.get(stringParam(params, 'ListenerArn') ?? '');
  if (!listener) missing('ListenerNotFound', 'listeners');
  const priority = integer(params, 'Priority');
  if (priority === undefined || priority < 1 || priority > 50000)
    throw validation(
      `1 validation error detected: Value '${priority}' at 'priority' failed to satisfy constraint: Member must have value between 1 and 50000`,
    );
  const conditions = conditionsOf(params);
  const actions = actionsOf(state, params);
  // A target group belongs to at most one load balancer.
  for (const arn of actions.flatMap(forwardedTo)) {
    const others = loadBalancersOf(state, arn).filter((lb) => lb !== listener.loadBalancerArn);
    if (others.length > 0)
      throw new AwsError(
        'TargetGroupAssociationLimit',
        `The following target groups cannot be associated with more than one load balancer: ${arn}`,
      );
  }
  if (rulesOf(state, listener.arn).some((r) => r.priority === priority))
    throw new AwsError('PriorityInUse', `Priority '${priority}' is currently in use`);
  const rule = addRule(state, listener, { priority, conditions, actions, tags: tagsOf(params) });
  return { Rules: [ruleView(rule)] };
}

function deleteRule(state: ElbState, params: Params) {
  const rule = state.rules.get(stringParam(params, 'RuleArn') ?? '');
  if (!rule) missing('RuleNotFound', 'rules');
  if (rule.priority === 'default')
    throw new AwsError('OperationNotPermitted', 'Default rules cannot be deleted');
  state.rules.delete(rule.arn);
  return {};
}

/** Every taggable resource by ARN, with the error AWS gives when it is not there. */
function taggable(state: ElbState, arn: string): { tags: ElbTag[] } {
  const kind = arn.split(':')[5]?.split('/')[0];
  const found =
    kind === 'loadbalancer'
      ? state.loadBalancers.get(arn)
      : kind === 'listener'
        ? state.listeners.get(arn)
        : kind === 'listener-rule'
          ? state.rules.get(arn)
          : state.targetGroups.get(arn);
  if (found) return found;
  const [code, what] =
    kind === 'loadbalancer'
      ? ['LoadBalancerNotFound', 'load balancers']
      : kind === 'listener'
        ? ['ListenerNotFound', 'listeners']
        : kind === 'listener-rule'
          ? ['RuleNotFound', 'rules']
          : ['TargetGroupNotFound', 'target groups'];
  return missing(code as string, what as string);
}

function addTags(state: ElbState, params: Params) {
  const tags = tagsOf(params);
  for (const arn of strings(params, 'ResourceArns') ?? []) {
    const resource = taggable(state, arn);
    for (const tag of tags) {
      resource.tags = resource.tags.filter((t) => t.Key !== tag.Key);
      resource.tags.push(tag);
    }
  }
  return {};
}

function describeTags(state: ElbState, params: Params) {
  const arns = strings(params, 'ResourceArns') ?? [];
  if (arns.length === 0 || arns.length > 20) throw validation('Between 1 and 20 resource ARNs are required');
  return {
    TagDescriptions: arns.map((ResourceArn) => ({ ResourceArn, Tags: taggable(state, ResourceArn).tags })),
  };
}

export function handleElbv2(state: ElbState, ecs: EcsState, operation: string, params: Params, now: number) {
  switch (operation) {
    case 'DescribeLoadBalancers':
      return describeLoadBalancers(state, params);
    case 'DescribeListeners':
      return describeListeners(state, params);
    case 'DescribeRules':
      return describeRules(state, params);
    case 'CreateRule':
      return createRule(state, params);
    case 'DeleteRule':
      return deleteRule(state, params);
    case 'CreateTargetGroup':
      return createTargetGroup(state, params, now);
    case 'DeleteTargetGroup':
      return deleteTargetGroup(state, ecs, params);
    case 'DescribeTargetGroups':
      return describeTargetGroups(state, params);
    case 'DescribeTargetHealth':
      return describeTargetHealth(state, ecs, params, now);
    case 'AddTags':
      return addTags(state, params);
    case 'DescribeTags':
      return describeTags(state, params);
    default:
      throw new AwsError('InvalidAction', `Could not find operation ${operation} for version 2015-12-01`);
  }
}
