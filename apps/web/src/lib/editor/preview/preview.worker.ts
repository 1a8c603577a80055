/// <reference lib="webworker" />
// The preview in a worker: decoding (WebCodecs through mediabunny) and compositing on an
// OffscreenCanvas happen here, so a heavy frame never blocks the timeline UI.
import { createPreviewHost } from './preview-host.ts';
import type { FromPreview, ToPreview } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const host = createPreviewHost({
  post: (message: FromPreview) => scope.postMessage(message),
  makeCanvas: (w, h) => new OffscreenCanvas(w, h),
  fontSet: scope.fonts,
});

scope.addEventListener('message', (event: MessageEvent<ToPreview>) => host(event.data));
