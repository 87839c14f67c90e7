import tseslint from 'typescript-eslint';

// Printing has one owner (src/report/, DESIGN.md): anything printed elsewhere would skip the inert printer
// in report/log.ts and could write a workflow command of the runner's. __tests__/unit/report/printing-owner
// checks these rules catch each way round it.
const PRINT_ELSEWHERE =
  'Print through src/report/ (report/log.ts Logger, inert): text printed here could be a workflow command.';
const STD_STREAMS = [
  {
    selector: "MemberExpression[object.name='process'][property.name=/^(stdout|stderr)$/]",
    message: PRINT_ELSEWHERE,
  },
  {
    selector: "MemberExpression[object.name='process'][property.value=/^(stdout|stderr)$/]",
    message: PRINT_ELSEWHERE,
  },
];
const CORE = { name: '@actions/core', message: PRINT_ELSEWHERE };
// exec echoes the command line and the child's output unless silent: image/docker-cli.ts runs it so.
const EXEC = { name: '@actions/exec', message: 'Run commands through src/image/docker-cli.ts (silent).' };
const dynamicImport = ({ name, message }) => ({
  selector: `ImportExpression[source.value='${name}']`,
  message,
});

export default tseslint.config(
  // What .gitignore leaves out too: builds, scratch space.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'bench/work/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/report/**', 'src/image/docker-cli.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-syntax': ['error', ...STD_STREAMS, dynamicImport(CORE), dynamicImport(EXEC)],
      'no-restricted-imports': ['error', { paths: [CORE, EXEC] }],
    },
  },
  {
    files: ['src/image/docker-cli.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-syntax': ['error', ...STD_STREAMS, dynamicImport(CORE)],
      'no-restricted-imports': ['error', { paths: [CORE] }],
    },
  },
  // report/ owns the Actions I/O (outputs, summary, state through @actions/core); only log.ts writes stdout.
  {
    files: ['src/report/**/*.ts'],
    ignores: ['src/report/log.ts'],
    rules: { 'no-console': 'error', 'no-restricted-syntax': ['error', ...STD_STREAMS] },
  },
  { files: ['src/report/log.ts'], rules: { 'no-console': 'error' } },
);
