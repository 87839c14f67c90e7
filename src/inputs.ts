import { UserError } from './errors.js';
import { readDeployInputs, type DeployInputs } from './inputs/deploy.js';
import { readImageInputs, type ImageInputs } from './inputs/image.js';
import { matching, type InputReader } from './inputs/parse.js';
import { readTaskDefinitionInputs, type TaskDefinitionInputs } from './inputs/taskdef.js';

export type { InputReader } from './inputs/parse.js';
export { parseList } from './inputs/parse.js';

/**
 * Every input of action.yml, parsed and validated, one section per stage (each in src/inputs/). Nothing
 * else reads inputs.
 */
export interface Inputs {
  awsRegion: string;
  image: ImageInputs;
  taskDefinition: TaskDefinitionInputs;
  deploy: DeployInputs;
}

/**
 * How the runner passes inputs (what `core.getInput` reads). Read directly so that a step with a bad input
 * fails without loading @actions/core at all.
 */
const actionsReader: InputReader = (name) =>
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

export function readInputs(read: InputReader = actionsReader, env: NodeJS.ProcessEnv = process.env): Inputs {
  // Sections in the order action.yml lists them, so the first error a user sees is the first input.
  const image = readImageInputs(read, env);
  const taskDefinition = readTaskDefinitionInputs(read);
  const deploy = readDeployInputs(read);

  const region = read('aws-region').trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
  if (region === '') {
    throw new UserError("Input 'aws-region' is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set.");
  }
  const awsRegion = matching('aws-region', region, REGION, 'an AWS region such as us-east-1');

  return { awsRegion, image, taskDefinition, deploy };
}
