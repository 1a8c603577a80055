export { resolveFfmpegBinaries, type FfmpegBinaries, type BinarySource, type ResolveOptions } from './binaries.ts';
export { FfmpegAbortedError, FfmpegError, FfmpegNotFoundError, stderrTail } from './errors.ts';
export { chooseFrameRate, frameRateFromCount, STANDARD_RATES, MIN_FPS, MAX_FPS, type FrameRate } from './frame-rate.ts';
export { parseProbe, rotationOf, type AudioStreamInfo, type MediaProbe, type VideoStreamInfo } from './probe.ts';
export { probeMedia, scanStream } from './probe-run.ts';
export { formatRational, fromNumber, parseRational, reduce, toNumber, type Rational } from './rational.ts';
export { checkFfmpegWatchdog } from './watchdog.ts';
export { runFfmpeg, type FfmpegArgs, type FfmpegInput, type RunFfmpegOptions } from './run.ts';
