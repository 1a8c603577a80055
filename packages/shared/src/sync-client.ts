import type { ServerEditSource } from '@cutline/timeline';
import { CutlineError } from './errors.ts';

/** Who a server-side edit is for (docs/ARCHITECTURE.md, "How an edit travels"): the route it came through and the user. */
export type EditOrigin = { source: ServerEditSource; userId: string };

export type EditRequest = { documentName: string; origin: EditOrigin; commands: unknown[]; requestId?: string };

/** What the sync server answered when it refused an edit; 4xx keep their code and message. */
export class SyncEditError extends CutlineError {
  readonly commandIndex: number | undefined;
  constructor(code: string, message: string, status: number, commandIndex?: number) {
    super(code, message, status);
    this.commandIndex = commandIndex;
  }
}

/** Applies a batch of timeline commands as one transaction, live for every editor. */
export type TimelineEditor = { apply(request: EditRequest): Promise<{ results: unknown[] }> };

type ErrorBody = { error?: { code?: string; message?: string; commandIndex?: number } };

/**
 * Client of the sync server's internal edit endpoint (`POST /internal/v1/edits`,
 * authenticated with SYNC_SECRET as a bearer token). The web app's REST, MCP and assistant
 * routes and the ingest job all edit timelines through it.
 */
export function createSyncEditClient({ baseUrl, secret, timeoutMs = 15_000 }: { baseUrl: string; secret: string; timeoutMs?: number }): TimelineEditor {
  const url = new URL('/internal/v1/edits', baseUrl).toString();
  return {
    apply: async ({ documentName, origin, commands, requestId }) => {
      // Outside the fetch's try: a body that cannot be serialized (too deeply nested, a
      // cycle, a BigInt) is the caller's fault, not an unreachable sync server.
      let body: string;
      try {
        body = JSON.stringify({ documentName, origin, commands });
      } catch (error) {
        throw new SyncEditError('invalid_input', `The commands cannot be sent as JSON: ${error instanceof Error ? error.message : String(error)}`, 400);
      }
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${secret}`,
            'content-type': 'application/json',
            ...(requestId ? { 'x-request-id': requestId } : {}),
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new SyncEditError('sync_unavailable', `The sync server cannot be reached: ${error instanceof Error ? error.message : String(error)}`, 503);
      }
      const answer = (await response.json().catch(() => ({}))) as ErrorBody & { results?: unknown[] };
      if (response.ok) return { results: answer.results ?? [] };
      const code = answer.error?.code ?? 'sync_failed';
      const message = answer.error?.message ?? `The sync server answered ${response.status}`;
      // Our own credentials being refused is a server misconfiguration, not the caller's fault.
      const status = response.status === 401 || response.status >= 500 ? 503 : response.status;
      throw new SyncEditError(code, message, status, answer.error?.commandIndex);
    },
  };
}
