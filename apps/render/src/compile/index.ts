// Pure planning for renders (docs/ARCHITECTURE.md, "How an export travels"): no I/O, snapshot-tested. The render tasks in
// ../render/ run what these return.
export { compile, CompileError, type Compiled, type CompiledInput, type CompileAsset, type CompileInput, type FontProvider } from './compile.ts';
export { planJoin, type JoinPlan } from './join.ts';
export { planChunks, DEFAULT_CHUNK_SECONDS, DEFAULT_MIN_CHUNKED_SECONDS, type ChunkPlan } from './plan-chunks.ts';
export { planVisualLayers, layerAlphaAt, type LayerPlan } from './visual-plan.ts';
export { planAudio, atempoChain, type AudioPiece } from './audio-graph.ts';
export { gopFrames, containerArgs, videoEncoderArgs, audioEncoderArgs, outputSampleRate, type OutputKind } from './encode.ts';
export { firstFrameAtOrAfter, frameUs, type FrameRange } from './frames.ts';
export { layoutText, splitLines, type TextLayout } from './text-layout.ts';
export { filterValue } from './filters.ts';
