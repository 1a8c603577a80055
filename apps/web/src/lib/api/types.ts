// Shapes of /api/v1 answers as the browser uses them. The server's zod schemas
// (src/lib/server/api/schemas.ts, routes/*.ts) are the source; these are kept to the
// fields the client reads.

import type { Role } from '@cutline/shared/policy';
import type { PresetName } from '@cutline/shared/presets';
import type { FilmstripLayout, WaveformPeaks } from '@cutline/shared/media-layout';
import type { AssetState, ProjectEvent, RenderState } from '@cutline/shared/states';

export type { AssetState, ProjectEvent, RenderState };

export type { Role };
export type InvitableRole = Exclude<Role, 'owner'>;

export type User = { id: string; email: string; name: string };

export type Session = { user: User; token: string; expiresAt: string };

export type Project = {
  id: string;
  name: string;
  ownerId: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
};

export type Member = { userId: string; email: string; name: string; role: Role; createdAt: string };

export type ApiToken = { id: string; name: string; createdAt: string; lastUsedAt: string | null; expiresAt: string | null };

export type ShareLink = { id: string; role: InvitableRole; createdAt: string; url?: string };

export type SyncTicket = { token: string; url: string; expiresAt: string };

// Filmstrip and waveform formats are a contract with the render farm's ingest.
export type { FilmstripLayout, WaveformPeaks };

export type AssetKind = 'video' | 'audio' | 'image';

export type Asset = {
  id: string;
  projectId: string;
  kind: AssetKind | null;
  state: AssetState;
  failureReason: string | null;
  originalName: string;
  byteSize: number;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  fps: { num: number; den: number } | null;
  hasAudio: boolean | null;
  filmstrip: FilmstripLayout | null;
  urls: { original: string; proxy: string | null; filmstrip: string | null; waveform: string | null };
  createdAt: string;
  updatedAt: string;
};

export type RenderPreset = PresetName;


export type Render = {
  id: string;
  projectId: string;
  preset: string;
  /** Who started the export. */
  requestedBy: { id: string; name: string } | null;
  state: RenderState;
  /** 0…1 */
  progress: number;
  error: string | null;
  range: { start: number; end: number } | null;
  createdAt: string;
  finishedAt: string | null;
  outputBytes: number | null;
};

