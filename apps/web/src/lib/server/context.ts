import { loadConfig, requireDatabaseUrl, type Config } from '@cutline/shared/config';
import { createSql, type Sql } from '@cutline/shared/db';
import { createLogger, type Logger } from '@cutline/shared/log';
import { SyncEditError, createSyncEditClient, type TimelineEditor } from '@cutline/shared/sync-client';
import { createStorage, type Storage } from '@cutline/shared/storage';
import { AccessWatcher } from './revocation/access-watcher.ts';

/**
 * The web server's process-wide services, made on first use: SvelteKit imports server
 * modules during `vite build` analysis, where no database exists and none may be opened.
 */
type ServerContext = {
  config: Config;
  sql: Sql;
  log: Logger;
  editor: TimelineEditor;
  storage: Storage;
  /** Ends long-lived channels (SSE, MCP sessions) whose access is revoked. */
  access: AccessWatcher;
};

let context: ServerContext | undefined;

export function serverContext(): ServerContext {
  if (!context) {
    const config = loadConfig();
    const sql = createSql({ url: requireDatabaseUrl(config), max: 10, app: 'cutline-web' });
    const log = createLogger({ app: 'web' });
    context = {
      config,
      sql,
      log,
      access: new AccessWatcher({ sql, log }),
      storage: createStorage(config),
      editor: config.SYNC_SECRET
        ? createSyncEditClient({ baseUrl: config.SYNC_INTERNAL_URL, secret: config.SYNC_SECRET })
        : {
            apply: async () => {
              throw new SyncEditError('sync_not_configured', 'Timeline edits need SYNC_SECRET on the web server (npm start sets it)', 503);
            },
          },
    };
    // adapter-node closes the HTTP server on SIGINT/SIGTERM, then emits this; the pool's
    // idle sockets would otherwise keep the process alive.
    const { access } = context;
    process.once('sveltekit:shutdown', () => void access.stop().finally(() => sql.end({ timeout: 5 })));
  }
  return context;
}
