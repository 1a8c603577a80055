// The presence contract lives in @cutline/shared/presence; these names stay until the
// sync modules import it directly.
export { presenceColor as colorFor, sanitizePresence, type PresenceUser } from '@cutline/shared/presence';
