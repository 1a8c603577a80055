import { getContext, setContext } from 'svelte';
import type { CommentsState } from './comments-state.svelte.ts';

const KEY = Symbol('cutline-comments');

export function setComments(comments: CommentsState): CommentsState {
  return setContext(KEY, comments);
}

/** The project's comments, or null outside an editor that has them (the ruler draws none then). */
export function findComments(): CommentsState | null {
  return getContext<CommentsState | undefined>(KEY) ?? null;
}

export function getComments(): CommentsState {
  const comments = findComments();
  if (!comments) throw new Error('getComments() outside the editor');
  return comments;
}
