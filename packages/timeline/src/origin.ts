// Every transaction carries a typed origin (TL6). Y.UndoManager compares
// origins by identity, so origins for (source, userId) are cached and frozen: the same
// pair always yields the same object.

export type UserSource = 'user' | 'api' | 'mcp' | 'assistant';

export type TimelineOrigin =
  | { readonly source: UserSource; readonly userId: string }
  | { readonly source: 'migration' };

export const MIGRATION_ORIGIN: TimelineOrigin = Object.freeze({ source: 'migration' });

const USER_SOURCES: readonly string[] = ['user', 'api', 'mcp', 'assistant'];
const cache = new Map<string, TimelineOrigin>();

export function originFor(source: UserSource, userId: string): TimelineOrigin {
  if (!USER_SOURCES.includes(source)) throw new TypeError(`unknown origin source ${String(source)}`);
  if (typeof userId !== 'string' || userId === '') throw new TypeError('origin needs a userId');
  const key = `${source}\u0000${userId}`;
  let origin = cache.get(key);
  if (origin === undefined) {
    origin = Object.freeze({ source, userId });
    cache.set(key, origin);
  }
  return origin;
}

export function isTimelineOrigin(value: unknown): value is TimelineOrigin {
  if (value === MIGRATION_ORIGIN) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { source?: unknown; userId?: unknown };
  if (v.source === 'migration') return true;
  return typeof v.source === 'string' && USER_SOURCES.includes(v.source) && typeof v.userId === 'string';
}
