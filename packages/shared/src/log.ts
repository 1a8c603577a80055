import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger };

type RequestContext = { requestId: string };

const context = new AsyncLocalStorage<RequestContext>();

/**
 * One logger per app. Every line logged while a request id is active (an HTTP request,
 * a job that a request queued, a sync hook of a connection) carries `reqId`, so one
 * user action can be followed from the web route through sync and the render farm.
 */
export function createLogger({ app, level = process.env.LOG_LEVEL ?? 'info' }: { app: string; level?: string }): Logger {
  return pino({
    name: app,
    level,
    base: { app },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const requestId = context.getStore()?.requestId;
      return requestId ? { reqId: requestId } : {};
    },
  });
}

/** Runs `fn` with a request id that every log line inside it (sync or async) carries. */
export function withRequestId<T>(requestId: string | undefined | null, fn: () => T): T {
  return context.run({ requestId: sanitizeRequestId(requestId) ?? newRequestId() }, fn);
}

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

export function newRequestId(): string {
  return randomUUID();
}

/** A request id from outside (header, job payload) is trusted only if it looks like one. */
export function sanitizeRequestId(value: string | undefined | null): string | undefined {
  return value && /^[A-Za-z0-9._-]{1,64}$/.test(value) ? value : undefined;
}
