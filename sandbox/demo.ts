// `npm run demo`: a full deploy against the local sandbox, shown as the Actions log would show it.
import { daemonNeeded, isRoot, probeDockerDaemon } from './dockerd.js';
import { missingTools, startEnvironment } from './environment.js';
import { runAction } from './runner.js';
import { buildTinyImage, createRepositories, sandboxEcs, seedService, waitSteady } from './seed.js';

// The action runs on node24; this machine's node 20 would make the SDK warn about its own future.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// A daemon that already answers (a GitHub-hosted runner's, a desktop's) is used; only root can start one.
const daemon = await probeDockerDaemon();
if (!daemon.answers && !isRoot()) {
  console.error(`npm run demo: ${daemonNeeded(daemon)}`);
  process.exit(1);
}
const missing = missingTools({ dockerd: !daemon.answers });
if (missing.length > 0) {
  const packages = ['docker-registry', 'docker.io', 'apache2-utils'];
  const root = isRoot() ? '' : 'as root: ';
  console.error(`The demo needs ${missing.join(', ')}: ${root}apt-get install -y ${packages.join(' ')}`);
  process.exit(1);
}

const started = Date.now();
// A demo, not a test: the check against the AWS models (which needs botocore) is the tests' business.
const environment = await startEnvironment({ timeScale: 1, docker: true, modelCheck: false });
let code = 1;
try {
  const ecs = sandboxEcs(environment.env);
  console.log('== Seeding service "web" (2 tasks of nginx) in the sandbox');
  await seedService(ecs, { service: 'web', desiredCount: 2, circuitBreaker: true });
  await waitSteady(ecs, 'web');
  console.log('== Creating the ECR repository "web"');
  await createRepositories(environment.env, 'web');
  console.log('== Building the image demo-app:latest in the sandbox dockerd');
  await buildTinyImage(environment.env, 'demo-app:latest', `built ${new Date().toISOString()}`);

  console.log('== Running ecs-ship as the runner does (node dist/index.js, then the post step)\n');
  const { main, post } = await runAction({
    inputs: {
      image: 'demo-app:latest',
      repository: 'web',
      tags: 'demo\nv1',
      service: 'web',
      'poll-seconds': '1',
    },
    env: environment.env,
    echo: true,
  });
  console.log('\n== Outputs');
  for (const [name, value] of Object.entries(main.outputs)) console.log(`${name}=${value}`);
  console.log('\n== Job summary (Markdown, as the run page renders it)');
  console.log(main.summary.trim());
  console.log(
    `\n== Step exited ${main.code}; post step exited ${post?.code}; ${Math.round((Date.now() - started) / 1000)} s in all`,
  );
  code = main.code;
} finally {
  await environment.stop();
}
process.exit(code);
