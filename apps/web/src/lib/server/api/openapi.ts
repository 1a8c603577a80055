import { z } from 'zod';
import type { Endpoint } from './endpoint.ts';

type JsonSchema = Record<string, unknown>;

function schemaOf(type: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as JsonSchema;
  return schema;
}

function parameters(endpoint: Endpoint): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [location, type] of [
    ['path', endpoint.params],
    ['query', endpoint.query],
  ] as const) {
    if (!type) continue;
    const schema = schemaOf(type, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      list.push({ name, in: location, required: location === 'path' || (schema.required ?? []).includes(name), schema: property });
    }
  }
  return list;
}

/** OpenAPI 3.1 for /api/v1, generated from the same endpoint list and zod schemas. */
export function openApiDocument({ endpoints, serverUrl }: { endpoints: Endpoint[]; serverUrl: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const endpoint of endpoints) {
    const operation: JsonSchema = {
      operationId: `${endpoint.method.toLowerCase()}${endpoint.path.replace(/[{}]/g, '').replace(/(^|[/-])(\w)/g, (_m, _s: string, c: string) => c.toUpperCase())}`,
      summary: endpoint.summary,
      tags: endpoint.tags,
      security: endpoint.auth === 'public' ? [] : [{ bearer: [] }, { cookie: [] }],
      parameters: parameters(endpoint),
      responses: Object.fromEntries(
        Object.entries(endpoint.responses).map(([status, spec]) => [
          status,
          {
            description: spec.description,
            ...(spec.schema
              ? { content: { [spec.contentType ?? 'application/json']: { schema: schemaOf(spec.schema, 'output') } } }
              : Number(status) >= 400
                ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
                : {}),
          },
        ]),
      ),
      ...(endpoint.scope ? { 'x-cutline-scope': endpoint.scope } : {}),
    };
    if (endpoint.body === 'stream') {
      operation.requestBody = { required: true, content: { 'application/octet-stream': {}, 'multipart/form-data': {} } };
    } else if (endpoint.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(endpoint.body, 'input') } } };
    }
    (paths[endpoint.path] ??= {})[endpoint.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Cutline API', version: '1.0.0', description: 'Everything a person can do in Cutline, for programs and agents.' },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (ctk_…) or a session token' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'cutline_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  };
}
