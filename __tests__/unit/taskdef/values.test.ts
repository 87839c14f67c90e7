import { describe, expect, it } from '@jest/globals';
import { cpuUnits, fargateMemoryFor, findLimitMistakes, memoryMiB } from '../../../src/taskdef/limits.js';
import { describeMistake, findValueMistakes } from '../../../src/taskdef/values.js';
import { CASES, renderCase } from './cases.js';

const container = { name: 'web', image: 'nginx' };
const fargate = {
  family: 'web',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [container],
};
/** The document with a container's members replaced. */
const withContainer = (members: Record<string, unknown>) => ({
  ...fargate,
  containerDefinitions: [{ ...container, ...members }],
});
const valueLines = (doc: unknown) => findValueMistakes(doc).map(describeMistake);
const limitLines = (doc: Record<string, unknown>) => findLimitMistakes(doc).map(describeMistake);

describe('values against the SDK model', () => {
  it.each(CASES.map((c) => [c.golden, c] as const))(
    'finds nothing wrong in the rendered %s',
    async (_, c) => {
      const { rendered } = await renderCase(c);
      expect([...valueLines(rendered), ...limitLines(rendered)]).toEqual([]);
    },
  );

  // The reproduced cases, each one line naming the path, the value and what is expected.
  it.each([
    [
      withContainer({ portMappings: '8080' }),
      'containerDefinitions[0].portMappings is "8080": expected a list of PortMapping objects',
    ],
    [
      withContainer({ essential: 'yes' }),
      'containerDefinitions[0].essential is "yes": expected true or false',
    ],
    [
      withContainer({ environment: 'MODE=prod' }),
      'containerDefinitions[0].environment is "MODE=prod": expected a list of KeyValuePair objects',
    ],
    [withContainer({ cpu: {} }), 'containerDefinitions[0].cpu is {}: expected a whole number'],
    [withContainer({ memory: true }), 'containerDefinitions[0].memory is true: expected a whole number'],
    [withContainer({ memory: 1.5 }), 'containerDefinitions[0].memory is 1.5: expected a whole number'],
    [
      withContainer({ cpu: 2 ** 40 }),
      'containerDefinitions[0].cpu is 1099511627776: expected a whole number',
    ],
    [
      { ...fargate, requiresCompatibilities: 'FARGATE' },
      'requiresCompatibilities is "FARGATE": expected a list of strings, each one of "EC2", "EXTERNAL", "FARGATE", "MANAGED_INSTANCES"',
    ],
    [{ ...fargate, family: 5 }, 'family is 5: expected a string'],
    [{ ...fargate, family: [] }, 'family is []: expected a string'],
    [{ ...fargate, family: undefined }, 'family is missing: expected a string'],
    [{ ...fargate, networkMode: 'AWSVPC' }, 'networkMode is "AWSVPC": expected one of "awsvpc", "bridge"'],
    [{ ...fargate, memory: true }, 'memory is true: expected a string'],
    [
      withContainer({ environment: [{ name: 'PORT', value: 8080 }] }),
      'containerDefinitions[0].environment[0].value is 8080: expected a string',
    ],
    [
      withContainer({ secrets: [{ name: 'DB' }] }),
      'containerDefinitions[0].secrets[0].valueFrom is missing: expected a string',
    ],
    [
      withContainer({ dockerLabels: { team: 1 } }),
      'containerDefinitions[0].dockerLabels.team is 1: expected a string',
    ],
    [
      withContainer({ logConfiguration: { options: {} } }),
      'containerDefinitions[0].logConfiguration.logDriver is missing: expected one of "awsfirelens"',
    ],
    [
      withContainer({ portMappings: [{ containerPort: '80' }] }),
      'containerDefinitions[0].portMappings[0].containerPort is "80": expected a whole number',
    ],
    [
      withContainer({ command: 'npm start' }),
      'containerDefinitions[0].command is "npm start": expected a list of strings',
    ],
    [
      { ...fargate, containerDefinitions: {} },
      'containerDefinitions is {}: expected a list of ContainerDefinition',
    ],
    [[], '(the document) is []: expected an object (RegisterTaskDefinitionRequest)'],
  ])('%j: %s', (doc, line) => {
    const lines = valueLines(doc);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });

  it('reports every mistake of a document, one line each', () => {
    const doc = withContainer({ essential: 'yes', memory: true, portMappings: [{ containerPort: 'x' }] });
    expect(valueLines(doc)).toEqual([
      'containerDefinitions[0].essential is "yes": expected true or false',
      'containerDefinitions[0].memory is true: expected a whole number',
      'containerDefinitions[0].portMappings[0].containerPort is "x": expected a whole number',
    ]);
  });

  it('shows a value with a line break on one line, and shortens a long one', () => {
    const [line] = valueLines(withContainer({ essential: `a\n::warning::X${'y'.repeat(100)}` }));
    expect(line).not.toContain('\n');
    expect(line).toContain('"a\\n::warning::X');
    expect(line).toContain('...');
  });
});

describe("ECS's limits", () => {
  it.each([
    [
      { ...fargate, family: 'web family' },
      'family is "web family": expected up to 255 letters, digits, _ and -',
    ],
    [{ ...fargate, family: '' }, 'family is "": expected up to 255 letters'],
    [{ ...fargate, family: 'x'.repeat(256) }, 'family is "xxx'],
    [withContainer({ name: 'web.1' }), 'containerDefinitions[0].name is "web.1": expected up to 255 letters'],
    [withContainer({ name: undefined }), 'containerDefinitions[0].name is missing'],
    [
      withContainer({ image: undefined }),
      'containerDefinitions[0].image is missing: expected an image reference',
    ],
    [
      { ...fargate, containerDefinitions: [container, container] },
      'containerDefinitions[1].name is "web": expected a name no other container has',
    ],
    [
      withContainer({ portMappings: [{ containerPort: -1 }] }),
      'containerDefinitions[0].portMappings[0].containerPort is -1: expected a port from 0 to 65535',
    ],
    [
      withContainer({ portMappings: [{ containerPort: 80, hostPort: 70000 }] }),
      'containerDefinitions[0].portMappings[0].hostPort is 70000: expected a port from 0 to 65535',
    ],
    [
      withContainer({ portMappings: [{ containerPortRange: '9000-8000' }] }),
      'containerDefinitions[0].portMappings[0].containerPortRange is "9000-8000": expected a port range',
    ],
    [
      withContainer({ healthCheck: { command: ['CMD', 'true'], interval: 1 } }),
      'containerDefinitions[0].healthCheck.interval is 1: expected seconds from 5 to 300',
    ],
    [withContainer({ memory: 4 }), 'containerDefinitions[0].memory is 4: expected MiB from 6'],
    [
      { ...fargate, cpu: '99999999999999999999999' },
      'cpu is "99999999999999999999999": expected CPU units from 128 to 196608',
    ],
    [{ ...fargate, cpu: 'one vCPU' }, 'cpu is "one vCPU": expected CPU units'],
    [
      { ...fargate, memory: '512 MB' },
      'memory is "512 MB": expected MiB such as "512", or GB such as "2 GB"',
    ],
    [
      { ...fargate, memory: '4096' },
      'memory is "4096": expected memory Fargate takes with cpu 256: 512, 1024 or 2048 MiB',
    ],
    [
      { ...fargate, cpu: '1 vCPU', memory: '1 GB' },
      'memory is "1 GB": expected memory Fargate takes with cpu 1 vCPU: 2048 to 8192 in steps of 1024 MiB',
    ],
    [{ ...fargate, cpu: '384' }, 'cpu is "384": expected one of Fargate\'s CPU sizes'],
    [{ ...fargate, cpu: undefined }, 'cpu is missing: expected a task CPU size on Fargate'],
    [
      { ...fargate, ephemeralStorage: { sizeInGiB: 10 } },
      'ephemeralStorage.sizeInGiB is 10: expected GiB from 21 to 200',
    ],
    [
      withContainer({ environment: [{ name: 'BLOB', value: 'x'.repeat(70_000) }] }),
      '(the whole task definition) is "68.6 KiB": expected at most 64 KiB',
    ],
  ])('%j: %s', (doc, line) => {
    const lines = limitLines(doc as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });

  it.each([
    [{ ...fargate, cpu: '0.5 vCPU', memory: '1GB' }],
    [{ ...fargate, cpu: '4096', memory: '30720' }],
    [{ ...fargate, cpu: '16 vCPU', memory: '120 GB' }],
    [{ ...fargate, requiresCompatibilities: ['EC2'], cpu: '384', memory: '700' }],
    [{ ...fargate, requiresCompatibilities: undefined, cpu: undefined, memory: undefined }],
    [withContainer({ portMappings: [{ containerPort: 0 }, { containerPort: 65535, hostPort: 65535 }] })],
  ])('takes %j', (doc) => {
    expect(limitLines(doc as Record<string, unknown>)).toEqual([]);
  });

  it.each([
    ['256', 256],
    ['1 vCPU', 1024],
    ['0.25 vcpu', 256],
    ['2vCPU', 2048],
    ['x', undefined],
  ])('cpu %s is %s units', (text, units) => expect(cpuUnits(text)).toBe(units));

  it.each([
    ['512', 512],
    ['2 GB', 2048],
    ['0.5GB', 512],
    ['512 MB', undefined],
  ])('memory %s is %s MiB', (text, mib) => expect(memoryMiB(text)).toBe(mib));

  it("knows Fargate's pairs", () => {
    expect(fargateMemoryFor(256)).toEqual([512, 1024, 2048]);
    expect(fargateMemoryFor(8192)).toContain(61440);
    expect(fargateMemoryFor(8192)).not.toContain(18432);
    expect(fargateMemoryFor(16384)?.[0]).toBe(32768);
    expect(fargateMemoryFor(300)).toBeUndefined();
  });
});
