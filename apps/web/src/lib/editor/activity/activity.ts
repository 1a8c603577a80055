import { RENDER_PRESETS, type ProjectEvent } from '#lib/api/types.ts';

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
};

const presetLabel = (preset: string | null) => (preset ? (RENDER_PRESETS.find((p) => p.id === preset)?.label ?? preset) : null);

/**
 * The toast for an event from the project's stream, or null for progress and other
 * intermediate states: people hear about outcomes (an export finished or failed, media
 * ready or unusable), for their own work and for everyone else's.
 */
export function activityFor(event: ProjectEvent, names: ActivityNames): Activity | null {
  switch (event.type) {
    case 'render.updated': {
      const label = presetLabel(names.renderPreset(event.renderId));
      const what = label ? `Export (${label})` : 'An export';
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
