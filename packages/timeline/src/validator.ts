// A tiny validator kit: every validator carries the JSON Schema it enforces, so the
// schemas the REST/MCP layers publish and the checks the model runs come from one
// definition and cannot drift (TL41). Input is untrusted JSON from HTTP and LLMs.

import { InvalidCommandError } from './errors.ts';

export type JsonSchema = { readonly [key: string]: unknown };

export interface Validator<T> {
  readonly schema: JsonSchema;
  /** Returns a fresh, plain value or throws `InvalidCommandError` naming `path`. */
  parse(value: unknown, path: string): T;
}

export type Infer<V> = V extends Validator<infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Shape = Record<string, Validator<unknown>>;
export type ObjectOf<R extends Shape, O extends Shape> = Simplify<
  { -readonly [K in keyof R]: Infer<R[K]> } & { -readonly [K in keyof O]?: Infer<O[K]> }
>;

function fail(path: string, message: string): never {
  throw new InvalidCommandError(path, message);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

/** JSON Schema counts characters as code points, so do we. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

export interface NumberOptions {
  min: number;
  max: number;
  /** Excludes `min` itself (e.g. durations must be > 0). */
  exclusiveMin?: boolean;
  integer?: boolean;
  multipleOf?: number;
  description?: string;
}

export function number(o: NumberOptions): Validator<number> {
  const schema: Record<string, unknown> = { type: o.integer === true ? 'integer' : 'number' };
  if (o.exclusiveMin === true) schema['exclusiveMinimum'] = o.min;
  else schema['minimum'] = o.min;
  schema['maximum'] = o.max;
  if (o.multipleOf !== undefined) schema['multipleOf'] = o.multipleOf;
  if (o.description !== undefined) schema['description'] = o.description;
  return {
    schema,
    parse(value, path) {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `expected a finite number, got ${describe(value)}`);
      if (o.integer === true && !Number.isInteger(value)) fail(path, `expected an integer, got ${value}`);
      if (o.exclusiveMin === true ? value <= o.min : value < o.min) fail(path, `must be ${o.exclusiveMin === true ? '>' : '≥'} ${o.min}, got ${value}`);
      if (value > o.max) fail(path, `must be ≤ ${o.max}, got ${value}`);
      if (o.multipleOf !== undefined && value % o.multipleOf !== 0) fail(path, `must be a multiple of ${o.multipleOf}, got ${value}`);
      return value;
    },
  };
}

export interface StringOptions {
  minLength?: number;
  maxLength: number;
  pattern?: string;
  description?: string;
}

export function string(o: StringOptions): Validator<string> {
  const schema: Record<string, unknown> = { type: 'string' };
  if (o.minLength !== undefined) schema['minLength'] = o.minLength;
  schema['maxLength'] = o.maxLength;
  if (o.pattern !== undefined) schema['pattern'] = o.pattern;
  if (o.description !== undefined) schema['description'] = o.description;
  const regex = o.pattern === undefined ? null : new RegExp(o.pattern, 'u');
  return {
    schema,
    parse(value, path) {
      if (typeof value !== 'string') fail(path, `expected a string, got ${describe(value)}`);
      // Cheap pre-check before counting code points of a huge string.
      if (value.length > o.maxLength * 2) fail(path, `longer than ${o.maxLength} characters`);
      const len = codePointLength(value);
      if (len > o.maxLength) fail(path, `longer than ${o.maxLength} characters`);
      if (o.minLength !== undefined && len < o.minLength) fail(path, `shorter than ${o.minLength} characters`);
      if (regex !== null && !regex.test(value)) fail(path, `does not match ${o.pattern ?? ''}`);
      return value;
    },
  };
}

export function boolean(description?: string): Validator<boolean> {
  return {
    schema: description === undefined ? { type: 'boolean' } : { type: 'boolean', description },
    parse(value, path) {
      if (typeof value !== 'boolean') fail(path, `expected a boolean, got ${describe(value)}`);
      return value;
    },
  };
}

export function literal<const T extends string | number>(value: T): Validator<T> {
  return {
    schema: { const: value },
    parse(v, path) {
      if (v !== value) fail(path, `expected ${JSON.stringify(value)}`);
      return value;
    },
  };
}

export function oneOf<const T extends string>(values: readonly T[], description?: string): Validator<T> {
  const schema: Record<string, unknown> = { type: 'string', enum: [...values] };
  if (description !== undefined) schema['description'] = description;
  return {
    schema,
    parse(value, path) {
      if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
        fail(path, `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
      }
      return value as T;
    },
  };
}

export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return {
    schema: { anyOf: [inner.schema, { type: 'null' }] },
    parse(value, path) {
      return value === null ? null : inner.parse(value, path);
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export interface ObjectOptions {
  description?: string;
  /** At least one optional field must be present (e.g. update commands). */
  minProperties?: number;
}

export function object<R extends Shape, O extends Shape>(required: R, optional: O, o: ObjectOptions = {}): Validator<ObjectOf<R, O>> {
  const properties: Record<string, JsonSchema> = {};
  for (const [k, v] of Object.entries(required)) properties[k] = v.schema;
  for (const [k, v] of Object.entries(optional)) properties[k] = v.schema;
  const schema: Record<string, unknown> = {
    type: 'object',
    properties,
    required: Object.keys(required),
    additionalProperties: false,
  };
  if (o.minProperties !== undefined) schema['minProperties'] = o.minProperties;
  if (o.description !== undefined) schema['description'] = o.description;
  return {
    schema,
    parse(value, path) {
      if (!isPlainObject(value)) fail(path, `expected an object, got ${describe(value)}`);
      const out: Record<string, unknown> = {};
      const keys = Object.keys(value);
      for (const key of keys) {
        if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) fail(join(path, key), 'unknown field');
      }
      for (const [key, v] of Object.entries(required)) {
        if (!Object.hasOwn(value, key) || value[key] === undefined) fail(join(path, key), 'is required');
        out[key] = v.parse(value[key], join(path, key));
      }
      for (const [key, v] of Object.entries(optional)) {
        if (Object.hasOwn(value, key) && value[key] !== undefined) out[key] = v.parse(value[key], join(path, key));
      }
      if (o.minProperties !== undefined && keys.filter((k) => value[k] !== undefined).length < o.minProperties) {
        fail(path, `needs at least ${o.minProperties} fields`);
      }
      return out as ObjectOf<R, O>;
    },
  };
}

export function array<T>(item: Validator<T>, o: { maxItems: number; description?: string }): Validator<T[]> {
  const schema: Record<string, unknown> = { type: 'array', items: item.schema, maxItems: o.maxItems };
  if (o.description !== undefined) schema['description'] = o.description;
  return {
    schema,
    parse(value, path) {
      if (!Array.isArray(value)) fail(path, `expected an array, got ${describe(value)}`);
      if (value.length > o.maxItems) fail(path, `more than ${o.maxItems} items`);
      return value.map((v, i) => item.parse(v, `${path}[${i}]`));
    },
  };
}

/**
 * A union of objects told apart by a string tag field (`type` for commands). The JSON
 * Schema is a `oneOf`; parsing dispatches on the tag so errors name the right branch.
 */
export function tagged<T>(tag: string, branches: Record<string, Validator<T>>, description?: string): Validator<T> {
  const schema: Record<string, unknown> = { oneOf: Object.values(branches).map((b) => b.schema) };
  if (description !== undefined) schema['description'] = description;
  const names = Object.keys(branches);
  return {
    schema,
    parse(value, path) {
      if (!isPlainObject(value)) fail(path, `expected an object, got ${describe(value)}`);
      const name = value[tag];
      if (typeof name !== 'string' || !Object.hasOwn(branches, name)) {
        fail(join(path, tag), `expected one of ${names.join(', ')}`);
      }
      const branch = branches[name];
      if (branch === undefined) fail(join(path, tag), 'unknown');
      return branch.parse(value, path);
    },
  };
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
