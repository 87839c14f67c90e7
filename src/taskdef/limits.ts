import { containerList } from './containers.js';
import { isObject, own } from './json.js';
import type { TaskDefinitionDoc } from './load.js';
import type { Mistake } from './values.js';

// ECS's documented limits, which the SDK's model does not carry. Each rule reads only values of the
// right kind (values.ts reports the others), so a rule never trips over a string where a number belongs.

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const NAME_EXPECTED = 'up to 255 letters, digits, _ and -';
/** ECS's limit on a task definition, counted on the JSON RegisterTaskDefinition sends. */
const MAX_TASK_DEFINITION_BYTES = 64 * 1024;

const CPU_FORM = /^(?:(\d+)|(\d+(?:\.\d+)?) ?vcpu)$/i;
const MEMORY_FORM = /^(?:(\d+)|(\d+(?:\.\d+)?) ?gb)$/i;

/** `"256"` → 256, `"1 vCPU"` → 1024; undefined when the form is wrong. */
export function cpuUnits(value: string): number | undefined {
  const m = CPU_FORM.exec(value.trim());
  if (!m) return undefined;
  return m[1] !== undefined ? Number(m[1]) : Math.round(Number(m[2]) * 1024);
}

/** `"512"` → 512, `"2 GB"` → 2048 (MiB); undefined when the form is wrong. */
export function memoryMiB(value: string): number | undefined {
  const m = MEMORY_FORM.exec(value.trim());
  if (!m) return undefined;
  return m[1] !== undefined ? Number(m[1]) : Math.round(Number(m[2]) * 1024);
}

/** Fargate's task sizes: for each CPU value, the memory (MiB) it can have. */
const FARGATE_SIZES: Record<number, { from: number; to: number; step: number }> = {
  256: { from: 512, to: 2048, step: 512 },
  512: { from: 1024, to: 4096, step: 1024 },
  1024: { from: 2048, to: 8192, step: 1024 },
  2048: { from: 4096, to: 16384, step: 1024 },
  4096: { from: 8192, to: 30720, step: 1024 },
  8192: { from: 16384, to: 61440, step: 4096 },
  16384: { from: 32768, to: 122880, step: 8192 },
};

/** The memory values Fargate takes with a CPU value, in words; undefined when the CPU value is not Fargate's. */
export function fargateMemoryFor(cpu: number): number[] | undefined {
  const size = FARGATE_SIZES[cpu];
  if (!size) return undefined;
  const out: number[] = [];
  // 256 CPU units take 512, 1024 or 2048 MiB; the others every step from `from` to `to`.
  if (cpu === 256) return [512, 1024, 2048];
  for (let m = size.from; m <= size.to; m += size.step) out.push(m);
  return out;
}

function memoryRange(cpu: number): string {
  const size = FARGATE_SIZES[cpu];
  if (!size) return '';
  if (cpu === 256) return '512, 1024 or 2048';
  return `${size.from} to ${size.to} in steps of ${size.step}`;
}

type Check = (value: unknown, path: string) => Mistake | undefined;

const intIn =
  (min: number, max: number, what: string): Check =>
  (value, path) =>
    typeof value === 'number' && (value < min || value > max)
      ? { path, value, expected: `${what} from ${min} to ${max}` }
      : undefined;

const PORT = intIn(0, 65535, 'a port');

function portRange(value: unknown, path: string): Mistake | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)-(\d+)$/.exec(value);
  const [from, to] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (m && from >= 1 && to <= 65535 && from < to) return undefined;
  return { path, value, expected: 'a port range such as "8000-8100" (1 to 65535, the first port lower)' };
}

/** The members of a container that ECS bounds, each with its check. */
const CONTAINER_CHECKS: Record<string, Check> = {
  cpu: intIn(0, 10 * 1024 * 192, 'CPU units'),
  memory: intIn(6, 2 ** 31 - 1, 'MiB'),
  memoryReservation: intIn(6, 2 ** 31 - 1, 'MiB'),
  startTimeout: intIn(0, 1200, 'seconds'),
  stopTimeout: intIn(0, 120, 'seconds'),
};
const PORT_CHECKS: Record<string, Check> = {
  containerPort: PORT,
  hostPort: PORT,
  containerPortRange: portRange,
};
const HEALTH_CHECKS: Record<string, Check> = {
  interval: intIn(5, 300, 'seconds'),
  timeout: intIn(2, 120, 'seconds'),
  retries: intIn(1, 10, 'tries'),
  startPeriod: intIn(0, 300, 'seconds'),
};

function apply(checks: Record<string, Check>, value: unknown, path: string, out: Mistake[]): void {
  if (!isObject(value)) return;
  for (const [key, check] of Object.entries(checks)) {
    const found = check(own(value, key), `${path}.${key}`);
    if (found) out.push(found);
  }
}

function checkName(value: unknown, path: string, out: Mistake[]): void {
  if (typeof value === 'string' && !NAME.test(value)) out.push({ path, value, expected: NAME_EXPECTED });
}

function checkContainers(td: TaskDefinitionDoc, out: Mistake[]): void {
  const seen = new Set<string>();
  containerList(td).forEach((container, i) => {
    const path = `containerDefinitions[${i}]`;
    const name = own(container, 'name');
    // The SDK's model leaves them optional; ECS requires both (the image after rendering).
    if (name === undefined) out.push({ path: `${path}.name`, value: undefined, expected: NAME_EXPECTED });
    checkName(name, `${path}.name`, out);
    if (typeof name === 'string' && seen.has(name)) {
      out.push({ path: `${path}.name`, value: name, expected: 'a name no other container has' });
    }
    if (typeof name === 'string') seen.add(name);
    if (own(container, 'image') === undefined) {
      out.push({ path: `${path}.image`, value: undefined, expected: 'an image reference' });
    }
    apply(CONTAINER_CHECKS, container, path, out);
    const ports = own(container, 'portMappings');
    if (Array.isArray(ports))
      ports.forEach((p, j) => apply(PORT_CHECKS, p, `${path}.portMappings[${j}]`, out));
    apply(HEALTH_CHECKS, own(container, 'healthCheck'), `${path}.healthCheck`, out);
  });
}

/** Task-level cpu and memory: their forms, and on Fargate one of its sizes. */
function checkTaskSize(td: TaskDefinitionDoc, out: Mistake[]): void {
  const cpuValue = own(td, 'cpu');
  const memoryValue = own(td, 'memory');
  const cpu = typeof cpuValue === 'string' ? cpuUnits(cpuValue) : undefined;
  const memory = typeof memoryValue === 'string' ? memoryMiB(memoryValue) : undefined;
  if (typeof cpuValue === 'string' && (cpu === undefined || cpu < 128 || cpu > 196608)) {
    const expected = 'CPU units from 128 to 196608 such as "256", or vCPUs such as "1 vCPU"';
    out.push({ path: 'cpu', value: cpuValue, expected });
  }
  if (typeof memoryValue === 'string' && (memory === undefined || memory < 6 || memory > 2 ** 31 - 1)) {
    out.push({ path: 'memory', value: memoryValue, expected: 'MiB such as "512", or GB such as "2 GB"' });
  }
  const compat = own(td, 'requiresCompatibilities');
  if (!Array.isArray(compat) || !compat.includes('FARGATE')) return;
  const fargate = `on Fargate (requiresCompatibilities has FARGATE)`;
  if (cpuValue === undefined)
    out.push({ path: 'cpu', value: undefined, expected: `a task CPU size ${fargate}` });
  if (memoryValue === undefined) {
    out.push({ path: 'memory', value: undefined, expected: `a task memory size ${fargate}` });
  }
  if (cpu === undefined || memory === undefined || cpu < 128 || cpu > 196608) return;
  const memories = fargateMemoryFor(cpu);
  if (!memories) {
    const sizes = Object.keys(FARGATE_SIZES).join(', ');
    out.push({ path: 'cpu', value: cpuValue, expected: `one of Fargate's CPU sizes ${sizes} ${fargate}` });
  } else if (!memories.includes(memory)) {
    const expected = `memory Fargate takes with cpu ${String(cpuValue)}: ${memoryRange(cpu)} MiB`;
    out.push({ path: 'memory', value: memoryValue, expected });
  }
}

/**
 * ECS's own rules for a task definition whose values have the right kinds: names, ports, sizes, Fargate's
 * CPU/memory pairs and the 64 KiB limit. Read on the rendered document, so the step's inputs count too.
 */
export function findLimitMistakes(td: TaskDefinitionDoc): Mistake[] {
  const out: Mistake[] = [];
  checkName(own(td, 'family'), 'family', out);
  checkContainers(td, out);
  checkTaskSize(td, out);
  const eph = own(td, 'ephemeralStorage');
  apply({ sizeInGiB: intIn(21, 200, 'GiB') }, eph, 'ephemeralStorage', out);
  const bytes = Buffer.byteLength(JSON.stringify(td));
  if (bytes > MAX_TASK_DEFINITION_BYTES) {
    const kib = (bytes / 1024).toFixed(1);
    out.push({
      path: '(the whole task definition)',
      value: `${kib} KiB`,
      expected: "at most 64 KiB, ECS's limit",
    });
  }
  return out;
}
