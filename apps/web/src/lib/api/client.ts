import { isRenderState } from '@cutline/shared/states';
import { NetworkError, toApiError } from './errors.ts';
import type {
  ApiToken,
  Asset,
  FilmstripLayout,
  InvitableRole,
  Member,
  Project,
  Render,
  RenderPreset,
  Role,
  Session,
  ShareLink,
  SyncTicket,
  User,
  WaveformPeaks,
} from './types.ts';

export const API_BASE = '/api/v1';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | undefined>;

export type RequestOptions = { method: Method; path: string; body?: unknown; query?: Query; signal?: AbortSignal };

/**
 * One call to /api/v1. Same-origin, so the HttpOnly session cookie authenticates it.
 * Errors come back as thrown `ApiError`s (with `code` and `message` from the server),
 * a dropped connection as `NetworkError`; 204 gives `undefined`.
 */
export async function request<T>(fetchFn: typeof fetch, { method, path, body, query, signal }: RequestOptions): Promise<T> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, String(value));
  const url = `${API_BASE}${path}${search.size > 0 ? `?${search}` : ''}`;
  let response: Response;
  try {
    response = await fetchFn(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new NetworkError(error);
  }
  if (response.status === 204) return undefined as T;
  const parsed = parseJson(await response.text());
  if (!response.ok) throw toApiError(response.status, parsed);
  return parsed as T;
}

/** JSON, or null for an empty or non-JSON body (a proxy's HTML error page). */
export function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const enc = encodeURIComponent;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function filmstripLayout(value: unknown): FilmstripLayout | null {
  if (!isRecord(value) || value.version !== 1) return null;
  const fields = ['tileWidth', 'tileHeight', 'columns', 'rows', 'count', 'intervalUs'] as const;
  for (const f of fields) if (num(value[f]) === null) return null;
  return value as FilmstripLayout;
}

/** The asset answer, with the sprite layout checked (it is free-form JSON on the server). */
export function parseAsset(value: unknown): Asset {
  const raw = value as Asset & { filmstrip: unknown };
  return { ...raw, filmstrip: filmstripLayout(raw.filmstrip) };
}


/**
 * Render rows, read defensively: the render routes may name the range in seconds
 * (`range: {start, end}`) or in µs columns, and times may be absent while queued.
 */
export function parseRender(value: unknown): Render {
  const r = isRecord(value) ? value : {};
  const state = isRenderState(r.state) ? r.state : 'queued';
  const range = isRecord(r.range) && num(r.range.start) !== null && num(r.range.end) !== null ? { start: r.range.start as number, end: r.range.end as number } : null;
  return {
    id: str(r.id) ?? '',
    projectId: str(r.projectId) ?? '',
    preset: str(r.preset) ?? '',
    requestedBy: isRecord(r.requestedBy) && str(r.requestedBy.id) !== null && str(r.requestedBy.name) !== null ? { id: str(r.requestedBy.id) as string, name: str(r.requestedBy.name) as string } : null,
    state,
    progress: Math.min(1, Math.max(0, num(r.progress) ?? 0)),
    error: str(r.error),
    range,
    createdAt: str(r.createdAt) ?? new Date(0).toISOString(),
    finishedAt: str(r.finishedAt),
    outputBytes: num(r.outputBytes),
  };
}

/** The typed /api/v1 surface the pages use. `fetchFn` is SvelteKit's `fetch` inside `load`. */
export function createApi(fetchFn: typeof fetch = (input, init) => fetch(input, init)) {
  const call = <T>(options: RequestOptions) => request<T>(fetchFn, options);
  return {
    signup: (body: { email: string; password: string; name: string }) => call<Session>({ method: 'POST', path: '/auth/signup', body }),
    login: (body: { email: string; password: string }) => call<Session>({ method: 'POST', path: '/auth/login', body }),
    logout: (body: { everywhere?: boolean } = {}) => call<void>({ method: 'POST', path: '/auth/logout', body }),
    me: () => call<{ user: User }>({ method: 'GET', path: '/me' }).then((r) => r.user),

    listTokens: () => call<{ tokens: ApiToken[] }>({ method: 'GET', path: '/tokens' }).then((r) => r.tokens),
    createToken: (body: { name: string; expiresInDays?: number }) => call<{ token: string; apiToken: ApiToken }>({ method: 'POST', path: '/tokens', body }),
    revokeToken: (id: string) => call<void>({ method: 'DELETE', path: `/tokens/${enc(id)}` }),

    listProjects: (filter: 'all' | 'mine' | 'shared' = 'all') =>
      call<{ projects: Project[] }>({ method: 'GET', path: '/projects', query: { filter } }).then((r) => r.projects),
    createProject: (name: string) => call<{ project: Project }>({ method: 'POST', path: '/projects', body: { name } }).then((r) => r.project),
    getProject: (id: string) => call<{ project: Project }>({ method: 'GET', path: `/projects/${enc(id)}` }).then((r) => r.project),
    renameProject: (id: string, name: string) =>
      call<{ project: Project }>({ method: 'PATCH', path: `/projects/${enc(id)}`, body: { name } }).then((r) => r.project),
    deleteProject: (id: string) => call<void>({ method: 'DELETE', path: `/projects/${enc(id)}` }),

    listMembers: (projectId: string) => call<{ members: Member[] }>({ method: 'GET', path: `/projects/${enc(projectId)}/members` }).then((r) => r.members),
    addMember: (projectId: string, body: { email: string; role: InvitableRole }) =>
      call<{ member: Member }>({ method: 'POST', path: `/projects/${enc(projectId)}/members`, body }).then((r) => r.member),
    setMemberRole: (projectId: string, userId: string, role: InvitableRole) =>
      call<{ member: Member }>({ method: 'PATCH', path: `/projects/${enc(projectId)}/members/${enc(userId)}`, body: { role } }).then((r) => r.member),
    removeMember: (projectId: string, userId: string) => call<void>({ method: 'DELETE', path: `/projects/${enc(projectId)}/members/${enc(userId)}` }),

    listShareLinks: (projectId: string) => call<{ links: ShareLink[] }>({ method: 'GET', path: `/projects/${enc(projectId)}/share-links` }).then((r) => r.links),
    createShareLink: (projectId: string, role: InvitableRole) =>
      call<{ link: ShareLink; token: string }>({ method: 'POST', path: `/projects/${enc(projectId)}/share-links`, body: { role } }),
    revokeShareLink: (projectId: string, linkId: string) => call<void>({ method: 'DELETE', path: `/projects/${enc(projectId)}/share-links/${enc(linkId)}` }),
    acceptShareLink: (token: string) => call<{ projectId: string; role: Role }>({ method: 'POST', path: '/share-links/accept', body: { token } }),

    syncTicket: (projectId: string) => call<SyncTicket>({ method: 'GET', path: `/projects/${enc(projectId)}/sync-ticket` }),

    listAssets: (projectId: string) =>
      call<{ assets: unknown[] }>({ method: 'GET', path: `/projects/${enc(projectId)}/assets` }).then((r) => r.assets.map(parseAsset)),
    getAsset: (assetId: string) => call<{ asset: unknown }>({ method: 'GET', path: `/assets/${enc(assetId)}` }).then((r) => parseAsset(r.asset)),
    deleteAsset: (assetId: string) => call<void>({ method: 'DELETE', path: `/assets/${enc(assetId)}` }),
    waveform: (assetId: string, signal?: AbortSignal) => call<WaveformPeaks>({ method: 'GET', path: `/assets/${enc(assetId)}/waveform`, signal }),

    listRenders: (projectId: string) =>
      call<{ renders: unknown[] }>({ method: 'GET', path: `/projects/${enc(projectId)}/renders` }).then((r) => r.renders.map(parseRender)),
    startRender: (projectId: string, body: { preset: RenderPreset; range?: { start: number; end: number } }) =>
      call<{ render: unknown }>({ method: 'POST', path: `/projects/${enc(projectId)}/renders`, body }).then((r) => parseRender(r.render)),
    cancelRender: (renderId: string) => call<unknown>({ method: 'POST', path: `/renders/${enc(renderId)}/cancel` }),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The browser's client (same-origin fetch with the session cookie). */
export const api: Api = createApi();

/** The bundled TTFs the render farm uses, served by the web app outside /api/v1. */
export const fontUrl = (family: string) => `/fonts/${enc(family)}.ttf`;
