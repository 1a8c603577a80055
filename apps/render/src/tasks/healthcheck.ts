import type { Task } from 'graphile-worker';

/** A no-op job: proves a worker takes jobs from the queue and completes them. */
export const healthcheck: Task = async (_payload, helpers) => {
  helpers.logger.info('healthcheck job ran');
};
