import { inputError, UserError } from './errors.js';
import { readRoleInputs, type RoleInputs } from './inputs/credentials.js';
import { readDeployInputs, type DeployInputs } from './inputs/deploy.js';
import { readGitHubInputs, type GitHubInputs } from './inputs/github.js';
import { readImageInputs, type ImageInputs } from './inputs/image.js';
import { matching, type InputReader } from './inputs/parse.js';
import { readRegistryInputs, type RegistryInputs } from './inputs/registry.js';
import { readStrategyInputs, type StrategyInputs } from './inputs/strategy.js';
import { pushesImage, readTaskDefinitionInputs, type TaskDefinitionInputs } from './inputs/taskdef.js';

export type { InputReader } from './inputs/parse.js';
export { parseList } from './inputs/parse.js';

/**
 * Every input of action.yml, parsed and validated, one section per stage (each in src/inputs/). Nothing
 * else reads inputs.
 */
export interface Inputs {
  /** '' only offline, when no region was given. */
  awsRegion: string;
  /** `dry-run: true` without `service`: render and check the task definition file, no AWS call at all. */
  offline: boolean;
  /** `role-to-assume` and its settings; undefined = the SDK's own credential chain. */
  role: RoleInputs | undefined;
  /** undefined when every container names its own image (`name=IMAGE` lines): nothing is pushed. */
  image: ImageInputs | undefined;
  /** Which ECR registry, creating the repository, and the scan gate. */
  registry: RegistryInputs;
  taskDefinition: TaskDefinitionInputs;
  deploy: DeployInputs;
  /** Deployment strategy and CodeDeploy; undefined when none of those inputs is set. */
  strategy: StrategyInputs | undefined;
  /** GitHub deployments, the PR comment and previews; undefined when neither `environment` nor `preview` is set. */
  github: GitHubInputs | undefined;
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
  // The task definition section first: it decides whether the image inputs are needed at all.
  const taskDefinition = readTaskDefinitionInputs(read);
  const image = pushesImage(taskDefinition) ? readImageInputs(read, env) : undefined;
  if (!image && read('image').trim() !== '') {
    throw new UserError(
      "Input 'image' is set, but every line of 'containers' names its own image (name=IMAGE): nothing would use it.",
    );
  }
  const registry = readRegistryInputs(read);
  const { dryRun } = taskDefinition;
  const deploy = readDeployInputs(read, dryRun);
  // A dry run without a service reads nothing from AWS: the base must be a file, and no region is needed.
  const offline = deploy.services.length === 0;
  if (offline && taskDefinition.source === undefined) {
    throw new UserError(
      "Input 'task-definition' is required for a dry run without 'service': the task definition file to check offline.",
    );
  }
  const strategy = readStrategyInputs(read);
  const github = readGitHubInputs(read);
  if (github?.preview && deploy.services.length > 1) {
    throw inputError('service', deploy.services.join(', '), 'one service, the template of the previews');
  }
  if (github?.preview?.deleteImages && !image?.repository) {
    throw new UserError(
      "Input 'preview-delete-images' is true, but 'image' and 'repository' are not set: the images to delete are the preview's in 'repository'.",
    );
  }
  if (image?.source.kind === 'deployment' && !github) {
    throw new UserError(
      `Input 'image' is '${image.image}', which reads a GitHub deployment: 'github-token' and 'environment' (or 'preview') are needed.`,
    );
  }

  const region = read('aws-region').trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
  if (region === '' && !offline) {
    throw new UserError("Input 'aws-region' is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set.");
  }
  const awsRegion =
    region === '' ? '' : matching('aws-region', region, REGION, 'an AWS region such as us-east-1');
  const role = readRoleInputs(read, env);

  return { awsRegion, offline, role, image, registry, taskDefinition, deploy, strategy, github };
}
