// `environment` set, `environment-url` empty, and the service behind a load balancer: the deployment's URL is
// the load balancer's (target group -> load balancer DNS name; https when it has an HTTPS or 443 listener).
// Reads only, and never decides the deploy: a refused read is a warning and no URL.
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Service } from '@aws-sdk/client-ecs';
import { createElbv2Client } from './aws/clients.js';
import { classifyAwsError, describeAwsError } from './aws/errors.js';
import { loadBalancerUrl } from './deploy/alb-rules.js';
import type { GitHubSide } from './github-run.js';
import type { Logger } from './report/log.js';

/** The first target group any of the services registers with; undefined when none sits behind one. */
function targetGroupOf(services: Service[]): string | undefined {
  for (const s of services)
    for (const lb of s.loadBalancers ?? []) if (lb.targetGroupArn) return lb.targetGroupArn;
  return undefined;
}

async function urlOf(targetGroupArn: string, region: string): Promise<string | undefined> {
  const elb = await createElbv2Client(region);
  try {
    const groups = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] }));
    const lbArn = groups.TargetGroups?.[0]?.LoadBalancerArns?.[0];
    if (!lbArn) return undefined;
    const lbs = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }));
    const dnsName = lbs.LoadBalancers?.[0]?.DNSName;
    if (!dnsName) return undefined;
    const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    return loadBalancerUrl(dnsName, listeners.Listeners ?? []);
  } finally {
    elb.destroy();
  }
}

/** Sets the deployment's URL from the services' load balancer, when they have one and no URL was given. */
export async function useLoadBalancerUrl(
  side: GitHubSide,
  services: Service[],
  region: string,
  log: Logger,
): Promise<void> {
  const targetGroupArn = targetGroupOf(services);
  if (side.environmentUrl || side.preview || !targetGroupArn) return;
  let url: string | undefined;
  try {
    url = await urlOf(targetGroupArn, region);
  } catch (err) {
    const allow =
      classifyAwsError(err) === 'denied'
        ? ' (allow elasticloadbalancing:DescribeTargetGroups, DescribeLoadBalancers and DescribeListeners)'
        : '';
    log.warning(
      `The environment URL could not be read from the load balancer${allow}: ${describeAwsError(err)}`,
    );
    return;
  }
  if (!url) return;
  side.environmentUrl = url;
  side.report.useEnvironmentUrl(url);
  log.info(`Environment URL ${url} (from the load balancer of target group ${targetGroupArn})`);
}
