import { describe, expect, it } from '@jest/globals';
import { cleanTaskDefinition, comparable } from '../../../src/taskdef/clean.js';
import { diffTaskDefinitions, formatChanges } from '../../../src/taskdef/diff.js';
import type { TaskDefinitionDoc } from '../../../src/taskdef/load.js';
import { CASES, renderCase } from './cases.js';

const base: TaskDefinitionDoc = {
  family: 'shop',
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'web',
      image: 'a',
      environment: [
        { name: 'A', value: '1' },
        { name: 'EMPTY', value: '' },
      ],
      secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db' }],
    },
    { name: 'sidecar', image: 's' },
  ],
};

type Doc = TaskDefinitionDoc & { containerDefinitions: Record<string, unknown>[] };
type Edit = (td: Doc) => void;

function changed(edit: Edit): string[] {
  const after = structuredClone(base) as Doc;
  edit(after);
  return formatChanges(diffTaskDefinitions(base, after));
}

describe('diffTaskDefinitions', () => {
  it.each<[string, Edit, string[]]>([
    ['nothing', () => undefined, []],
    [
      'the image',
      (td) => void (td.containerDefinitions[0]!['image'] = 'b'),
      ['~ containerDefinitions[web].image: "a" → "b"'],
    ],
    [
      'an env value, to an empty one',
      (td) =>
        void (td.containerDefinitions[0]!['environment'] = [
          { name: 'A', value: '' },
          { name: 'EMPTY', value: '' },
        ]),
      ['~ containerDefinitions[web].environment[A]: "1" → ""'],
    ],
    [
      'an env var added and one removed',
      (td) =>
        void (td.containerDefinitions[0]!['environment'] = [
          { name: 'A', value: '1' },
          { name: 'B', value: 'x=y' },
        ]),
      [
        '- containerDefinitions[web].environment[EMPTY]: ""',
        '+ containerDefinitions[web].environment[B]: "x=y"',
      ],
    ],
    [
      'a secret, never its value',
      (td) => void (td.containerDefinitions[0]!['secrets'] = [{ name: 'DB', valueFrom: 'arn:aws:ssm:new' }]),
      ['~ containerDefinitions[web].secrets[DB]: (hidden) → (hidden)'],
    ],
    ['the task cpu', (td) => void (td['cpu'] = '512'), ['~ cpu: "256" → "512"']],
    [
      'a container added',
      (td) => void td.containerDefinitions.push({ name: 'xray', image: 'x' }),
      ['+ containerDefinitions[xray]: {"image":"x"}'],
    ],
    [
      'the container order',
      (td) => void td.containerDefinitions.reverse(),
      ['~ containerDefinitions (order): ["web","sidecar"] → ["sidecar","web"]'],
    ],
    [
      'a command',
      (td) => void (td.containerDefinitions[1]!['command'] = ['a b']),
      ['+ containerDefinitions[sidecar].command: ["a b"]'],
    ],
  ])('shows %s', (_, edit, lines) => {
    expect(changed(edit)).toEqual(lines);
  });

  it('sees no change between a file and the revision ECS registered from it', () => {
    const described = {
      ...structuredClone(base),
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:3',
      revision: 3,
      status: 'ACTIVE',
      volumes: [],
      placementConstraints: [],
      containerDefinitions: (structuredClone(base['containerDefinitions']) as Record<string, unknown>[]).map(
        (c) => ({
          cpu: 0,
          essential: true,
          portMappings: [],
          mountPoints: [],
          volumesFrom: [],
          systemControls: [],
          ...c,
        }),
      ),
    };
    expect(diffTaskDefinitions(described, base)).toEqual([]);
  });

  it('folds what ECS fills in, and only that', () => {
    expect(
      comparable({
        cpu: 256,
        networkMode: 'awsvpc',
        containerDefinitions: [
          {
            name: 'a',
            cpu: 0,
            essential: true,
            environment: [],
            portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
          },
          {
            name: 'b',
            cpu: 10,
            essential: false,
            portMappings: [{ containerPort: 53, hostPort: 53, protocol: 'udp' }],
          },
        ],
      }),
    ).toEqual({
      cpu: '256',
      networkMode: 'awsvpc',
      containerDefinitions: [
        { name: 'a', portMappings: [{ containerPort: 80 }] },
        { name: 'b', cpu: 10, essential: false, portMappings: [{ containerPort: 53, protocol: 'udp' }] },
      ],
    });
  });

  it.each([
    ['bridge (the default)', undefined, { containerPort: 80, hostPort: 0 }, { containerPort: 80 }],
    [
      'bridge, a fixed host port',
      'bridge',
      { containerPort: 80, hostPort: 8080 },
      { containerPort: 80, hostPort: 8080 },
    ],
    ['host', 'host', { containerPort: 80, hostPort: 80 }, { containerPort: 80 }],
    ['awsvpc', 'awsvpc', { containerPort: 80, hostPort: 80 }, { containerPort: 80 }],
    [
      'awsvpc, hostPort 0 (not a default there)',
      'awsvpc',
      { containerPort: 80, hostPort: 0 },
      { containerPort: 80, hostPort: 0 },
    ],
  ])('folds the host port ECS fills in under %s', (_, networkMode, mapping, folded) => {
    const td = {
      ...(networkMode ? { networkMode } : {}),
      containerDefinitions: [{ name: 'a', portMappings: [mapping] }],
    };
    expect(comparable(td)).toEqual({
      ...(networkMode ? { networkMode } : {}),
      containerDefinitions: [{ name: 'a', portMappings: [folded] }],
    });
  });

  it.each(CASES.map((c) => [c.golden, c] as const))(
    'finds every rendered change of %s, and none in a re-render',
    async (_, c) => {
      const { base: source, rendered } = await renderCase(c);
      expect(diffTaskDefinitions(rendered, rendered)).toEqual([]);
      expect(diffTaskDefinitions(source, rendered).length > 0).toBe(
        JSON.stringify(comparable(source)) !== JSON.stringify(comparable(rendered)),
      );
    },
  );
});

describe('cleanTaskDefinition', () => {
  it('removes read-only keys and nulls at any depth, and keeps empty strings, zeros and false', () => {
    expect(
      cleanTaskDefinition({
        family: 'f',
        revision: 3,
        registeredAt: '2026-01-01',
        pidMode: null,
        containerDefinitions: [
          {
            name: 'a',
            cpu: 0,
            user: '',
            healthCheck: null,
            privileged: false,
            dockerLabels: { k: '', gone: null },
          },
        ],
      }),
    ).toStrictEqual({
      family: 'f',
      containerDefinitions: [{ name: 'a', cpu: 0, user: '', privileged: false, dockerLabels: { k: '' } }],
    });
  });
});
