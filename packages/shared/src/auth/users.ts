import type { Sql } from '../db/client.ts';
import { EmailTakenError } from './errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { AuthUser } from './sessions.ts';
import { randomId } from './tokens.ts';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser({
  sql,
  email,
  name,
  password,
}: {
  sql: Sql;
  email: string;
  name: string;
  password: string | null;
}): Promise<AuthUser> {
  const id = randomId();
  const normalized = normalizeEmail(email);
  const passwordHash = password === null ? null : await hashPassword(password);
  try {
    await sql`insert into users (id, email, name, password_hash) values (${id}, ${normalized}, ${name}, ${passwordHash})`;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new EmailTakenError();
    throw error;
  }
  return { id, email: normalized, name };
}

// A real argon2id hash of a random password: verifying against it when the email is
// unknown makes "no such user" take as long as "wrong password".
let decoyHash: Promise<string> | undefined;

/** The user with this email and password, or null. Takes the same time either way. */
export async function checkPassword({ sql, email, password }: { sql: Sql; email: string; password: string }): Promise<AuthUser | null> {
  const [row] = await sql<{ id: string; email: string; name: string; password_hash: string | null }[]>`
    select id, email, name, password_hash from users where lower(email) = ${normalizeEmail(email)}`;
  decoyHash ??= hashPassword(crypto.randomUUID());
  const ok = await verifyPassword(row?.password_hash ?? (await decoyHash), password);
  return ok && row?.password_hash ? { id: row.id, email: row.email, name: row.name } : null;
}

export async function findUserByEmail({ sql, email }: { sql: Sql; email: string }): Promise<AuthUser | null> {
  const [row] = await sql<AuthUser[]>`select id, email, name from users where lower(email) = ${normalizeEmail(email)}`;
  return row ?? null;
}
