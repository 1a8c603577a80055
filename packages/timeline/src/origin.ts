// Every transaction carries a typed origin (TL6). Y.UndoManager compares
// origins by identity, so origins for (source, userId) are cached and frozen: the same
// pair always yields the same object.

/** Sources of changes made on someone's behalf: in the editor, or server-side through sync's edit endpoint. */
export const USER_SOURCES = ['user', 'api', 'mcp', 'assistant'] as const;
export type UserSource = (typeof USER_SOURCES)[number];
/** The sources of server-side edits (REST, MCP, the assistant): all but the editor's own. */
export const SERVER_EDIT_SOURCES = ['api', 'mcp', 'assistant'] as const;
export type ServerEditSource = (typeof SERVER_EDIT_SOURCES)[number];

export type TimelineOrigin =
  | { readonly source: UserSource; readonly userId: string }
  | { readonly source: 'migration' };

export const MIGRATION_ORIGIN: TimelineOrigin = Object.freeze({ source: 'migration' });

const cache = new Map<string, TimelineOrigin>();

export function originFor(source: UserSource, userId: string): TimelineOrigin {
  if (!(USER_SOURCES as readonly string[]).includes(source)) throw new TypeError(`unknown origin source ${String(source)}`);
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
  return typeof v.source === 'string' && (USER_SOURCES as readonly string[]).includes(v.source) && typeof v.userId === 'string';
}
