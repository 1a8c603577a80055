/** `npm run migrate`: migrates DATABASE_URL, or the embedded PostgreSQL (started and stopped). */
import { mkdir } from 'node:fs/promises';
import { loadConfig } from '@cutline/shared/config';
import { describeError } from '@cutline/shared/errors';
import { prepareDatabase } from './lib/database.ts';

try {
  const config = loadConfig();
  await mkdir(config.CUTLINE_HOME, { recursive: true });
  const database = await prepareDatabase({ config, log: (line) => console.log(line) });
  await database.stop();
  console.log('migrations are up to date');
} catch (error) {
  console.error(`cutline migrate: ${describeError(error)}`);
  process.exit(1);
}
