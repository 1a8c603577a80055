import type { Task, TaskList } from 'graphile-worker';
import { parsePartPayload, parseRenderPayload, TASKS } from '@cutline/shared/jobs';
import { runFinalize, runPart, runRender, type JobInfo, type RenderDeps } from './render-job.ts';

function jobInfo(helpers: Parameters<Task>[1]): JobInfo {
  return { attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts, shutdown: helpers.abortSignal };
}

/** Graphile tasks `render`, `render-part`, `render-finalize`. A malformed payload is logged and dropped. */
export function createRenderTasks(deps: RenderDeps): TaskList {
  const render: Task = async (payload, helpers) => {
    const parsed = parseRenderPayload(payload);
    if (!parsed) return deps.log.error({ payload }, 'render: job payload is not {renderId}');
    await runRender(deps, parsed, jobInfo(helpers));
  };
  const part: Task = async (payload, helpers) => {
    const parsed = parsePartPayload(payload);
    if (!parsed) return deps.log.error({ payload }, 'render-part: job payload is not {renderId, part}');
    await runPart(deps, parsed, jobInfo(helpers));
  };
  const finalize: Task = async (payload, helpers) => {
    const parsed = parseRenderPayload(payload);
    if (!parsed) return deps.log.error({ payload }, 'render-finalize: job payload is not {renderId}');
    await runFinalize(deps, parsed, jobInfo(helpers));
  };
  return { [TASKS.render]: render, [TASKS.renderPart]: part, [TASKS.renderFinalize]: finalize };
}
