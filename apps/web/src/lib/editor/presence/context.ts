import { getContext, setContext } from 'svelte';
import type { PresenceRoom } from './presence-room.svelte.ts';

const KEY = Symbol('cutline-presence');

export function setPresence(room: PresenceRoom): PresenceRoom {
  return setContext(KEY, room);
}

export function getPresence(): PresenceRoom {
  const room = getContext<PresenceRoom | undefined>(KEY);
  if (!room) throw new Error('getPresence() outside the editor');
  return room;
}
