// @mentions in comment text. The document stores a mention as `@[userId]` (SPEC TL63),
// so a renamed member is shown by their new name and `parseMentions` finds who to notify.
// People type and read `@Name`: the composer keeps the members they picked from the
// autocomplete and turns each `@Name` of those back into `@[userId]` on submit.

export type MentionCandidate = { id: string; name: string; email?: string };

export type BodySegment = { kind: 'text'; text: string } | { kind: 'mention'; userId: string; name: string | null };

const STORED = /@\[([^\]\s]{1,128})\]/g;

/** Stored text split into plain text and mentions (`name` null: not a member we know). */
export function bodySegments(body: string, nameOf: (userId: string) => string | null): BodySegment[] {
  const out: BodySegment[] = [];
  let last = 0;
  for (const m of body.matchAll(STORED)) {
    const userId = m[1] as string;
    if (m.index > last) out.push({ kind: 'text', text: body.slice(last, m.index) });
    out.push({ kind: 'mention', userId, name: nameOf(userId) });
    last = m.index + m[0].length;
  }
  if (last < body.length) out.push({ kind: 'text', text: body.slice(last) });
  return out;
}

/** Stored text as plain words, mentions by name (tooltips, labels). */
export function plainText(body: string, nameOf: (userId: string) => string | null): string {
  return bodySegments(body, nameOf)
    .map((s) => (s.kind === 'text' ? s.text : `@${s.name ?? 'unknown member'}`))
    .join('');
}

/** Stored text as a person edits it (`@Name`), with the mentions it contains. */
export function toEditable(body: string, nameOf: (userId: string) => string | null): { text: string; mentions: MentionCandidate[] } {
  const mentions: MentionCandidate[] = [];
  const text = body.replace(STORED, (whole, userId: string) => {
    const name = nameOf(userId);
    // An unknown member stays in the stored form, so editing never drops the mention.
    if (name === null) return whole;
    if (!mentions.some((m) => m.id === userId)) mentions.push({ id: userId, name });
    return `@${name}`;
  });
  return { text, mentions };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Typed text → stored text: every `@Name` of a picked member becomes `@[userId]`. Longer
 * names first, so `@Ada Lovelace` wins over `@Ada`; a name must end at a word boundary.
 */
export function toStored(text: string, mentions: readonly MentionCandidate[]): string {
  const byLength = [...mentions].filter((m) => m.name.trim() !== '').sort((a, b) => b.name.length - a.name.length);
  if (byLength.length === 0) return text;
  const pattern = new RegExp(`@(${byLength.map((m) => escapeRegExp(m.name)).join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
  return text.replace(pattern, (whole, name: string) => {
    const found = byLength.find((m) => m.name === name);
    return found ? `@[${found.id}]` : whole;
  });
}

/** The `@query` typed just before the caret (start index of the `@`), or null. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@[\]]{0,40})$/u.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Members whose name (any word of it) or email starts with the query. */
export function matchMembers<M extends MentionCandidate>(members: readonly M[], query: string, limit = 6): M[] {
  const q = query.toLowerCase();
  if (q === '') return members.slice(0, limit);
  const starts = (s: string) => s.toLowerCase().startsWith(q) || s.toLowerCase().split(/\s+/).some((w) => w.startsWith(q));
  return members.filter((m) => starts(m.name) || (m.email !== undefined && m.email.toLowerCase().startsWith(q))).slice(0, limit);
}
