import type { CommentThread } from '@cutline/timeline/comments';
import { presetLabel as labelOf } from '@cutline/shared/presets';
import type { ProjectEvent } from '#lib/api/types.ts';
import { plainText } from '../comments/mentions.ts';

/** One line of project activity, as a toast shows it. */
export type Activity = {
  /** The same outcome reported twice (a repeated event) is one toast. */
  key: string;
  tone: 'ok' | 'error';
  title: string;
  detail: string | null;
};

/** What the editor already knows about the things an event names (events carry ids only). */
export type ActivityNames = {
  asset: (assetId: string) => string | null;
  /** The render's preset id, when the render list has it. */
  renderPreset: (renderId: string) => string | null;
  /** Who started the render, when the render list has it (`mine`: this person). */
  renderBy?: (renderId: string) => { name: string; mine: boolean } | null;
};

const presetLabel = (preset: string | null) => (preset ? labelOf(preset) : null);

/**
 * The toast for an event from the project's stream, or null for progress and other
 * intermediate states: people hear about outcomes (an export finished or failed, media
 * ready or unusable), for their own work and for everyone else's.
 */
export function activityFor(event: ProjectEvent, names: ActivityNames): Activity | null {
  switch (event.type) {
    case 'render.updated': {
      const label = presetLabel(names.renderPreset(event.renderId));
      const by = names.renderBy?.(event.renderId) ?? null;
      const whose = by ? (by.mine ? 'Your export' : `${by.name}’s export`) : null;
      const what = whose ? (label ? `${whose} (${label})` : whose) : label ? `Export (${label})` : 'An export';
      if (event.state === 'succeeded') return { key: `render:${event.renderId}:succeeded`, tone: 'ok', title: `${what} finished`, detail: 'Download it from Export.' };
      if (event.state === 'failed') return { key: `render:${event.renderId}:failed`, tone: 'error', title: `${what} failed`, detail: event.error || 'The render farm gave no reason.' };
      return null;
    }
    case 'asset.updated': {
      const name = names.asset(event.assetId);
      const what = name ? `“${name}”` : 'A media file';
      if (event.state === 'ready') return { key: `asset:${event.assetId}:ready`, tone: 'ok', title: `${what} is ready`, detail: null };
      if (event.state === 'failed') return { key: `asset:${event.assetId}:failed`, tone: 'error', title: `${what} cannot be used`, detail: event.reason || 'Processing failed without a reason.' };
      return null;
    }
    case 'asset.deleted':
      return null;
  }
}

const PREVIEW_CHARS = 120;

/**
 * Toasts for comments and replies that mention me, written by someone else since
 * `since` (ms): the page tells me when I am called into a conversation, not only the
 * panel's unread count. Older mentions are in the panel, not toasts.
 */
export function mentionActivities({ threads, me, since, nameOf }: { threads: readonly CommentThread[]; me: string; since: number; nameOf: (userId: string) => string | null }): Activity[] {
  const out: Activity[] = [];
  for (const thread of threads) {
    for (const item of [thread, ...thread.replies]) {
      if (item.authorId === me || item.createdAt < since || !item.mentions.includes(me)) continue;
      const text = plainText(item.body, nameOf);
      out.push({
        key: `mention:${item.id}`,
        tone: 'ok',
        title: `${nameOf(item.authorId) ?? 'Someone'} mentioned you`,
        detail: text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text,
      });
    }
  }
  return out;
}
