export * from './errors.ts';
export * from './policy.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { API_TOKEN_PREFIX, parseToken, randomId } from './tokens.ts';
export {
  SESSION_COOKIE,
  SESSION_LIFETIME_MS,
  blankSessionCookie,
  createSession,
  invalidateSession,
  invalidateUserSessions,
  sessionCookie,
  validateSessionToken,
  type AuthUser,
  type Session,
} from './sessions.ts';
export { createApiToken, listApiTokens, revokeApiToken, validateApiToken, type ApiToken } from './api-tokens.ts';
export { verifyToken, principalStillValid, type Principal } from './principal.ts';
export { AUTH_CHANNEL, credentialKey, parseAuthNotification, readAccessFacts, roleIn, type AccessFacts, type AuthNotification } from './revocation.ts';
export { checkPassword, createUser, findUserByEmail, normalizeEmail } from './users.ts';
export { authorize, createProject, getRole, removeMember, setMemberRole } from './members.ts';
export { acceptShareLink, createShareLink, listShareLinks, revokeShareLink, type ShareLink, type ShareRole } from './share-links.ts';
export { SYNC_TICKET_PREFIX, SYNC_TICKET_TTL_MS, createSyncTicket, readSyncTicket, type SyncTicket } from './sync-ticket.ts';
