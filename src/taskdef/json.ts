/** A JSON object: not null, not an array. Task definition documents are read through it. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object's own keys and values, `__proto__` included (JSON.parse makes it an own key): nothing
 * inherited from Object.prototype is ever read as if the file had written it.
 */
export function ownEntries(value: Record<string, unknown>): Array<[string, unknown]> {
  return Object.keys(value).map((key) => [key, Object.getOwnPropertyDescriptor(value, key)?.value]);
}

/** The value of an own key only; undefined for `constructor`, `toString` and the like. */
export function own(value: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(value, key) ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * `containerDefinitions[0].name`: where a value sits, as a person would write it. A key that is not a
 * plain name (a space, a dot, a line break) is quoted as JSON, so the path stays one line.
 */
export function keyPath(parent: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Sets an own key, `__proto__` included (an assignment to it would set the prototype instead). */
export function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
