import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ASSET_STATES, isAssetState, isRenderState, RENDER_STATES } from './states.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

describe('job states', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
  });
  afterAll(async () => {
    await db.drop();
  });

  /** The values a table's `state in (…)` check constraint allows, as the database has it. */
  async function allowedStates(table: string): Promise<string[]> {
    const rows = await db.sql<{ definition: string }[]>`
      select pg_get_constraintdef(c.oid) as definition from pg_constraint c
      where c.conrelid = ${table}::regclass and c.contype = 'c' and pg_get_constraintdef(c.oid) like '%state%'`;
    expect(rows).toHaveLength(1);
    return [...rows[0]!.definition.matchAll(/'([a-z]+)'::text/g)].map((m) => m[1]!);
  }

  it('the renders table accepts exactly RENDER_STATES', async () => {
    expect(new Set(await allowedStates('renders'))).toEqual(new Set(RENDER_STATES));
  });

  it('the assets table accepts exactly ASSET_STATES', async () => {
    expect(new Set(await allowedStates('assets'))).toEqual(new Set(ASSET_STATES));
  });

  it('guards tell states from other strings', () => {
    expect(RENDER_STATES.every(isRenderState)).toBe(true);
    expect(ASSET_STATES.every(isAssetState)).toBe(true);
    expect(isRenderState('done')).toBe(false);
    expect(isAssetState('ready ')).toBe(false);
  });
});
