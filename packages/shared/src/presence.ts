/**
 * A person's presence colour: stable per user and the same everywhere — sync writes it
 * into every awareness state (apps/sync SPEC SY50), and the editor paints its own avatar
 * with it before anyone else has seen it. Pure, so the browser bundle can import it.
 */
const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#469990', '#9a6324', '#800000', '#808000', '#000075'];

export function presenceColor(userId: string): string {
  let hash = 2166136261;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return PALETTE[(hash >>> 0) % PALETTE.length] as string;
}
