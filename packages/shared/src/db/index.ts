export { createSql, checkDatabase, pingDatabase, redactUrl, type Sql, type CreateSqlOptions } from './client.ts';
export { migrate, loadMigrations, MigrationError, type Migration } from './migrate.ts';
