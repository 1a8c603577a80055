import type { Logger } from '@cutline/shared/log';

/**
 * Last line of defence (SPEC.md SY16): a promise rejection nobody handled is logged and
 * counted, never fatal — one bad hook must not take every document on this node down.
 * (Uncaught synchronous exceptions keep Node's default: the process state is unknown, so
 * it exits and the supervisor restarts it; acknowledged edits are already in the log.)
 */
export function installProcessGuards({ log, onRejection = () => {} }: { log: Logger; onRejection?: () => void }): () => void {
  const handler = (reason: unknown) => {
    onRejection();
    log.error({ err: reason }, 'unhandled promise rejection (ignored)');
  };
  process.on('unhandledRejection', handler);
  return () => process.off('unhandledRejection', handler);
}
