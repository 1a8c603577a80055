import type { Task, TaskList } from 'graphile-worker';
import { TASKS } from '@cutline/shared/jobs';
import { withRequestId } from '@cutline/shared/log';
import { createIngestTask } from '../ingest/task.ts';
import type { IngestDeps } from '../ingest/ingest-asset.ts';
import type { RenderFarm } from '../render/farm.ts';
import { createRenderTasks } from '../render/tasks.ts';
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

/** `farm` (heartbeats, cancel watch, render options) enables the render tasks. */
export type TaskDeps = IngestDeps & { farm?: RenderFarm };

/** The worker's task list; tasks that touch media or the timeline get their dependencies here. */
export function createTaskList(deps: TaskDeps): TaskList {
  const tasks = {
    healthcheck,
    [TASKS.ingest]: createIngestTask(deps),
    ...(deps.farm ? createRenderTasks({ ...deps, farm: deps.farm }) : {}),
  } satisfies TaskList;
  return Object.fromEntries(Object.entries(tasks).map(([name, task]) => [name, traced(task)]));
}
