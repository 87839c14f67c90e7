// The floor for first_call_ms: the least a step can do before its first AWS call. One ECSClient, one
// DescribeServices, bundled as the action is (ncc, minified), run on the same node with the same env.
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';

const ecs = new ECSClient({ region: process.env.AWS_REGION });
await ecs.send(
  new DescribeServicesCommand({ cluster: 'default', services: [process.env.INPUT_SERVICE ?? ''] }),
);
