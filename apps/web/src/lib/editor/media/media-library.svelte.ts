import type { Api } from '#lib/api/client.ts';
import { errorMessage } from '#lib/api/errors.ts';
import type { Asset, ProjectEvent } from '#lib/api/types.ts';
import { uploadAsset } from '#lib/api/upload.ts';
import type { MediaMap } from '../preview/preview-engine.ts';

export type Upload = {
  id: string;
  name: string;
  size: number;
  loaded: number;
  state: 'uploading' | 'done' | 'failed' | 'cancelled';
  error: string | null;
  assetId: string | null;
  cancel: () => void;
};

/**
 * The project's media: the REST asset list, kept current from the project event stream
 * (asset.updated / asset.deleted), and the uploads in flight with their progress.
 */
export class MediaLibrary {
  assets: Asset[] = $state.raw([]);
  uploads: Upload[] = $state.raw([]);
  /** Why the list cannot be shown (e.g. the server refused), or null. */
  error: string | null = $state(null);
  loaded = $state(false);

  private readonly projectId: string;
  private readonly api: Api;
  private counter = 0;

  constructor({ projectId, api }: { projectId: string; api: Api }) {
    this.projectId = projectId;
    this.api = api;
  }

  async refresh(): Promise<void> {
    try {
      this.assets = await this.api.listAssets(this.projectId);
      this.error = null;
    } catch (error) {
      this.error = `Media cannot be listed: ${errorMessage(error)}`;
    } finally {
      this.loaded = true;
    }
  }

  byId(id: string | null): Asset | undefined {
    return id === null ? undefined : this.assets.find((a) => a.id === id);
  }

  /** What the preview and the audio engine may decode: proxies of ready assets. */
  mediaMap(): MediaMap {
    const map: MediaMap = {};
    for (const a of this.assets) map[a.id] = { proxy: a.state === 'ready' ? a.urls.proxy : null, kind: a.kind };
    return map;
  }

  private upsert(asset: Asset): void {
    const i = this.assets.findIndex((a) => a.id === asset.id);
    this.assets = i < 0 ? [...this.assets, asset] : this.assets.map((a, j) => (j === i ? asset : a));
  }

  async handleEvent(event: ProjectEvent): Promise<void> {
    if (event.type === 'asset.deleted') {
      this.assets = this.assets.filter((a) => a.id !== event.assetId);
      return;
    }
    if (event.type !== 'asset.updated') return;
    const known = this.byId(event.assetId);
    // Show the new state at once; the full row (duration, thumbnail) follows.
    if (known) this.upsert({ ...known, state: event.state, failureReason: event.reason ?? known.failureReason });
    try {
      this.upsert(await this.api.getAsset(event.assetId));
    } catch {
      // The next refresh will bring it.
    }
  }

  private patchUpload(id: string, patch: Partial<Upload>): void {
    this.uploads = this.uploads.map((u) => (u.id === id ? { ...u, ...patch } : u));
  }

  upload(files: Iterable<File>): void {
    for (const file of files) {
      const id = `up${++this.counter}`;
      const controller = new AbortController();
      this.uploads = [...this.uploads, { id, name: file.name, size: file.size, loaded: 0, state: 'uploading', error: null, assetId: null, cancel: () => controller.abort() }];
      uploadAsset({ projectId: this.projectId, file, signal: controller.signal, onProgress: ({ loaded }) => this.patchUpload(id, { loaded }) }).then(
        (asset) => {
          this.patchUpload(id, { state: 'done', loaded: file.size, assetId: asset.id });
          this.upsert(asset);
          // Finished uploads leave the list after a moment; the asset row takes over.
          setTimeout(() => (this.uploads = this.uploads.filter((u) => u.id !== id)), 4000);
        },
        (error: unknown) => this.patchUpload(id, { state: controller.signal.aborted ? 'cancelled' : 'failed', error: errorMessage(error) }),
      );
    }
  }

  dismissUpload(id: string): void {
    this.uploads = this.uploads.filter((u) => u.id !== id);
  }
}
