import { CutlineError } from '@cutline/shared/errors';

/** Lines of FFmpeg's stderr worth showing: its own errors, not the progress chatter. */
export function stderrTail(stderr: string, lines = 12): string {
  return stderr
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !/^(frame|size)=/.test(line.trimStart()))
    .slice(-lines)
    .join('\n');
}

/** FFmpeg or ffprobe ran and failed; `stderrTail` holds the lines that say why. */
export class FfmpegError extends CutlineError {
  readonly tool: 'ffmpeg' | 'ffprobe';
  readonly exitCode: number | null;
  readonly stderrTail: string;
  constructor({ tool, exitCode, stderr, message }: { tool: 'ffmpeg' | 'ffprobe'; exitCode: number | null; stderr: string; message?: string }) {
    const tail = stderrTail(stderr);
    const last = tail.split('\n').at(-1) ?? '';
    super('ffmpeg_failed', message ?? `${tool} failed${exitCode === null ? '' : ` (exit ${exitCode})`}${last ? `: ${last}` : ''}`, 500);
    this.tool = tool;
    this.exitCode = exitCode;
    this.stderrTail = tail;
  }
}

/** No usable ffmpeg/ffprobe binary: not on FFMPEG_PATH/FFPROBE_PATH, PATH, or from npm. */
export class FfmpegNotFoundError extends CutlineError {
  constructor(message: string, options?: ErrorOptions) {
    super('ffmpeg_not_found', message, 500, options);
  }
}

/** The job was cancelled (worker shutting down) while FFmpeg ran. */
export class FfmpegAbortedError extends CutlineError {
  constructor(tool: 'ffmpeg' | 'ffprobe') {
    super('ffmpeg_aborted', `${tool} was stopped because the job was aborted`, 503);
  }
}
