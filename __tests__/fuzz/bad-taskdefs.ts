import fc from 'fast-check';
import { OWN_IMAGE, PAYLOADS } from './bad-inputs.js';

// Generated bad task-definition files, by class: each class is one way a file is wrong that ecs-ship
// refuses before any write. Values in them carry text written to take over the log, so the refusal (or
// the warning before it) is also a test of the inert printer.

export interface BadTaskDefinitionCase {
  kind: string;
  /** The file's name inside the case's directory; the file is absent when `content` is undefined. */
  file: string;
  content: string | undefined;
  /** Also a directory of that name, for the path that is one. */
  directory?: boolean;
}

const payload = fc.constantFrom(...PAYLOADS);
const hostile = fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), payload).map(([w, p]) => `${w}${p}`);

/** A task definition the service could run, with hostile text in its free-text values. */
const validDoc = fc.record({
  family: fc.constant('fuzz'),
  containerDefinitions: fc.tuple(hostile, hostile).map(([env, label]) => [
    {
      name: 'web',
      image: OWN_IMAGE,
      essential: true,
      environment: [{ name: 'MODE', value: env }],
      dockerLabels: { team: label },
    },
  ]),
});

// Keys no version of RegisterTaskDefinition has: misspellings, and words under a prefix no key starts with.
const unknownKey = fc.oneof(
  fc.constantFrom('famly', 'containerDefinition', 'bogus', 'Family', 'cpus', 'imageUri', 'portMapping'),
  fc.stringMatching(/^zz[a-z]{1,8}$/),
);

const json = (doc: unknown) => JSON.stringify(doc, null, 2);

const CLASSES: Array<[string, fc.Arbitrary<Omit<BadTaskDefinitionCase, 'kind'>>]> = [
  [
    'truncated JSON',
    fc.tuple(validDoc, fc.double({ min: 0.05, max: 0.95, noNaN: true })).map(([doc, at]) => ({
      file: 'td.json',
      content: json(doc).slice(0, Math.floor(json(doc).length * at)),
    })),
  ],
  [
    'JSON syntax',
    fc.tuple(validDoc, fc.constantFrom(',\n}', "'x'", '// c', 'NaN', '}}')).map(([doc, bad]) => ({
      file: 'td.json',
      content: json(doc).replace(/\n}$/, `,\n"x": ${bad}\n}`),
    })),
  ],
  [
    'YAML syntax',
    fc
      .tuple(hostile, fc.constantFrom('\tcpu: 1', 'cpu: "open', 'cpu: [1, 2', '  - x: : y', '---\nfamily: b'))
      .map(([v, bad]) => ({
        file: 'td.yaml',
        content: `family: fuzz\ncontainerDefinitions:\n  - name: web\n    image: ${OWN_IMAGE}\n    command: ${JSON.stringify([v])}\n${bad}\n`,
      })),
  ],
  [
    'not an object',
    fc
      .constantFrom('[]', '5', '"web"', 'null', 'true', '', '   \n', '[{"family": "fuzz"}]')
      .map((content) => ({
        file: 'td.json',
        content,
      })),
  ],
  [
    'no container list',
    fc
      .tuple(hostile, fc.constantFrom<unknown>(undefined, [], 'web', [1], [null], {}))
      .map(([family, list]) => ({
        file: 'td.json',
        content: json(list === undefined ? { family, cpu: '256' } : { family, containerDefinitions: list }),
      })),
  ],
  [
    'an unknown key',
    fc.tuple(validDoc, unknownKey, hostile, fc.boolean()).map(([doc, key, value, inContainer]) => {
      const [first] = doc.containerDefinitions;
      const changed = inContainer
        ? { ...doc, containerDefinitions: [{ ...first, [key]: value }] }
        : { ...doc, [key]: value };
      return { file: 'td.json', content: json(changed) };
    }),
  ],
  [
    'no container the containers input names',
    fc
      .tuple(
        validDoc,
        fc.stringMatching(/^[a-z]{1,8}$/).filter((n) => n !== 'web'),
      )
      .map(([doc, name]) => ({
        file: 'td.json',
        content: json({
          ...doc,
          containerDefinitions: doc.containerDefinitions.map((c) => ({ ...c, name })),
        }),
      })),
  ],
  [
    'a value of the wrong type',
    fc
      .tuple(
        validDoc,
        fc.constantFrom<[string, unknown, boolean]>(
          ['portMappings', '8080', true],
          ['essential', 'yes', true],
          ['environment', 'MODE=prod', true],
          ['portMappings', [{ containerPort: -1 }], true],
          ['memory', true, true],
          ['cpu', {}, false],
          ['memory', true, false],
          ['requiresCompatibilities', 'FARGATE', false],
          ['cpu', '99999999999999999999999', false],
        ),
      )
      .map(([doc, [key, value, inContainer]]) => {
        const [first] = doc.containerDefinitions;
        const changed = inContainer
          ? { ...doc, containerDefinitions: [{ ...first, [key]: value }] }
          : { ...doc, [key]: value };
        return { file: 'td.json', content: json(changed) };
      }),
  ],
  [
    'an invalid family',
    fc
      .tuple(validDoc, fc.constantFrom<unknown>(5, [], null, '', 'web family', 'x'.repeat(256)))
      .map(([doc, family]) => ({
        file: 'td.json',
        content: json({ ...doc, family }),
      })),
  ],
  [
    'a key every object inherits',
    fc
      .tuple(
        validDoc,
        fc.constantFrom('constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'),
        fc.boolean(),
      )
      .map(([doc, key, inContainer]) => {
        const text = json(doc);
        const at = inContainer ? text.indexOf('"name": "web"') : text.indexOf('"family"');
        return { file: 'td.json', content: `${text.slice(0, at)}"${key}": 1, ${text.slice(at)}` };
      }),
  ],
  [
    'over 64 KiB',
    validDoc.map((doc) => ({
      file: 'td.json',
      content: json({
        ...doc,
        containerDefinitions: [
          { ...doc.containerDefinitions[0], environment: [{ name: 'BIG', value: 'x'.repeat(70_000) }] },
        ],
      }),
    })),
  ],
  [
    'an invalid container name',
    fc.tuple(validDoc, hostile).map(([doc, name]) => ({
      file: 'td.json',
      content: json({
        ...doc,
        containerDefinitions: [...doc.containerDefinitions, { name, image: OWN_IMAGE, essential: false }],
      }),
    })),
  ],
  [
    'a path that is not a file',
    fc.oneof(
      fc.constant({ file: 'missing.json', content: undefined }),
      fc.constant({ file: 'a-directory.json', content: undefined, directory: true }),
    ),
  ],
];

export const TASK_DEFINITION_CLASSES = CLASSES.map(([kind]) => kind);

export const badTaskDefinitionCase: fc.Arbitrary<BadTaskDefinitionCase> = fc.oneof(
  ...CLASSES.map(([kind, arb]) => arb.map((c) => ({ kind, ...c }))),
);
