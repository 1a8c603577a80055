import type { Task, TaskList } from 'graphile-worker';
import { withRequestId } from '@cutline/shared/log';
import { healthcheck } from './healthcheck.ts';

/**
 * Every task runs inside the request id of the HTTP request that queued it (payload
 * field `requestId`), so its log lines join that request's.
 */
function traced(task: Task): Task {
  return (payload, helpers) => {
    const requestId =
      payload && typeof payload === 'object' && 'requestId' in payload && typeof payload.requestId === 'string'
        ? payload.requestId
        : undefined;
    return withRequestId(requestId, () => task(payload, helpers));
  };
}

export const taskList: TaskList = Object.fromEntries(
  Object.entries({ healthcheck } satisfies TaskList).map(([name, task]) => [name, traced(task)]),
);
