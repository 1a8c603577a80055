import type { Extension } from '@hocuspocus/server';
import type { Logger } from '@cutline/shared/log';

/**
 * Hooks Hocuspocus 4 calls without awaiting (@hocuspocus/server's Hocuspocus class: `this.hooks("onChange", …)`
 * and friends). Its hook chain logs and re-throws a failure, so a throwing or rejecting
 * implementation becomes an unhandled rejection. Each is wrapped so that it resolves
 * whatever happens (SPEC.md SY16).
 */
export const UNAWAITED_HOOKS = ['onConfigure', 'onChange', 'onAwarenessUpdate', 'beforeBroadcastStateless'] as const;

type Hook = (payload: never) => unknown;

/** Makes the un-awaited hooks of `extension` unable to reject; returns the same object. */
export function guardExtension<E extends Extension>(extension: E, { log, onFailure }: { log: Logger; onFailure: (hook: string) => void }): E {
  const hooks = extension as unknown as Record<string, Hook | undefined>;
  for (const name of UNAWAITED_HOOKS) {
    const original = hooks[name];
    if (typeof original !== 'function') continue;
    hooks[name] = ((payload: never) =>
      Promise.resolve()
        .then(() => original.call(extension, payload))
        .catch((error: unknown) => {
          onFailure(name);
          log.error({ err: error, hook: name, extension: extension.extensionName }, 'an un-awaited hook failed (ignored)');
        })) as Hook;
  }
  return extension;
}
