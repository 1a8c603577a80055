export { migrateWorkerSchema } from '@cutline/shared/worker-schema';
