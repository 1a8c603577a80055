// A minimal JSON Schema (2020-12 subset) checker, independent of validator.ts, so tests
// can check that the published schemas and the validators agree (TL41).

type Schema = { readonly [key: string]: unknown };

function typeOk(type: unknown, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    default:
      throw new Error(`unsupported type ${String(type)}`);
  }
}

const KNOWN = new Set([
  '$schema', 'title', 'description', 'type', 'const', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'properties', 'required', 'additionalProperties', 'minProperties', 'items',
  'maxItems', 'oneOf', 'anyOf',
]);

export function jsonSchemaAccepts(schema: Schema, v: unknown): boolean {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`unsupported keyword ${key}`);
  if ('type' in schema && !typeOk(schema['type'], v)) return false;
  if ('const' in schema && schema['const'] !== v) return false;
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(v)) return false;
  if (typeof v === 'number') {
    if (typeof schema['minimum'] === 'number' && v < schema['minimum']) return false;
    if (typeof schema['maximum'] === 'number' && v > schema['maximum']) return false;
    if (typeof schema['exclusiveMinimum'] === 'number' && v <= schema['exclusiveMinimum']) return false;
    if (typeof schema['multipleOf'] === 'number' && v % schema['multipleOf'] !== 0) return false;
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (typeof schema['minLength'] === 'number' && len < schema['minLength']) return false;
    if (typeof schema['maxLength'] === 'number' && len > schema['maxLength']) return false;
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(v)) return false;
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const obj = v as Record<string, unknown>;
    const props = (schema['properties'] ?? {}) as Record<string, Schema>;
    const required = (schema['required'] ?? []) as string[];
    if (required.some((k) => !Object.hasOwn(obj, k))) return false;
    if (typeof schema['minProperties'] === 'number' && Object.keys(obj).length < schema['minProperties']) return false;
    for (const [k, val] of Object.entries(obj)) {
      const ps = props[k];
      if (ps === undefined) {
        if (schema['additionalProperties'] === false) return false;
      } else if (!jsonSchemaAccepts(ps, val)) return false;
    }
  }
  if (Array.isArray(v)) {
    if (typeof schema['maxItems'] === 'number' && v.length > schema['maxItems']) return false;
    const items = schema['items'] as Schema | undefined;
    if (items !== undefined && !v.every((x) => jsonSchemaAccepts(items, x))) return false;
  }
  if (Array.isArray(schema['oneOf']) && (schema['oneOf'] as Schema[]).filter((s) => jsonSchemaAccepts(s, v)).length !== 1) return false;
  if (Array.isArray(schema['anyOf']) && !(schema['anyOf'] as Schema[]).some((s) => jsonSchemaAccepts(s, v))) return false;
  return true;
}
