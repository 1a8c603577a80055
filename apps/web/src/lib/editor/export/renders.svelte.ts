import type { Api } from '#lib/api/client.ts';
import { errorMessage } from '#lib/api/errors.ts';
import type { ProjectEvent, Render, RenderPreset } from '#lib/api/types.ts';

/** The project's renders, live from the event stream (render.updated). */
export class RenderList {
  renders: Render[] = $state.raw([]);
  error: string | null = $state(null);
  private readonly projectId: string;
  private readonly api: Api;

  constructor({ projectId, api }: { projectId: string; api: Api }) {
    this.projectId = projectId;
    this.api = api;
  }

  async refresh(): Promise<void> {
    try {
      const list = await this.api.listRenders(this.projectId);
      this.renders = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      this.error = null;
    } catch (error) {
      this.error = `Renders cannot be listed: ${errorMessage(error)}`;
    }
  }

  async start(body: { preset: RenderPreset; range?: { start: number; end: number } }): Promise<Render> {
    const render = await this.api.startRender(this.projectId, body);
    if (!this.renders.some((r) => r.id === render.id)) this.renders = [render, ...this.renders];
    return render;
  }

  async cancel(renderId: string): Promise<void> {
    await this.api.cancelRender(renderId);
  }

  handleEvent(event: ProjectEvent): void {
    if (event.type !== 'render.updated') return;
    const i = this.renders.findIndex((r) => r.id === event.renderId);
    if (i < 0) {
      void this.refresh();
      return;
    }
    const done = event.state === 'succeeded' || event.state === 'failed' || event.state === 'cancelled';
    this.renders = this.renders.map((r) => (r.id === event.renderId ? { ...r, state: event.state, progress: event.progress, error: event.error ?? r.error } : r));
    // Finished rows gain their size and finish time from the server.
    if (done) void this.refresh();
  }
}
