export { createSql, checkDatabase, pingDatabase, redactUrl, type Sql, type Queryable, type CreateSqlOptions } from './client.ts';
export { migrate, loadMigrations, MigrationError, type Migration } from './migrate.ts';
