/**
 * A person's presence colour: stable per user and the same everywhere — sync writes it
 * into every awareness state (apps/sync SPEC SY50), and the editor paints its own avatar
 * with it before anyone else has seen it. Pure, so the browser bundle can import it.
 */
export const PRESENCE_PALETTE: readonly string[] = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#469990', '#9a6324', '#800000', '#808000', '#000075'];

export function presenceColor(userId: string): string {
  let hash = 2166136261;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return PRESENCE_PALETTE[(hash >>> 0) % PRESENCE_PALETTE.length] as string;
}

/**
 * Colours for the people present at once, all different while there are no more people
 * than colours: each keeps its own `presenceColor` unless someone earlier (by user id)
 * already has it, and then takes the next free colour of the palette. Every client sees
 * the same people and so paints them the same.
 */
export function distinctPresenceColors(userIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of [...new Set(userIds)].sort()) {
    const preferred = PRESENCE_PALETTE.indexOf(presenceColor(id));
    let color = presenceColor(id);
    for (let step = 0; step < PRESENCE_PALETTE.length; step++) {
      const candidate = PRESENCE_PALETTE[(preferred + step) % PRESENCE_PALETTE.length] as string;
      if (!taken.has(candidate)) {
        color = candidate;
        break;
      }
    }
    taken.add(color);
    out.set(id, color);
  }
  return out;
}
