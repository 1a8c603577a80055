import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { FfmpegNotFoundError } from './errors.ts';

export type BinarySource = 'env' | 'path' | 'npm';
export type FfmpegBinaries = {
  ffmpeg: string;
  ffprobe: string;
  source: { ffmpeg: BinarySource; ffprobe: BinarySource };
};

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const require = createRequire(import.meta.url);

/** The binaries the npm installer packages put in node_modules (loaded only when needed). */
function npmBinary(tool: 'ffmpeg' | 'ffprobe'): string | undefined {
  try {
    const installed: unknown = require(tool === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe');
    if (typeof installed === 'object' && installed !== null && 'path' in installed && typeof installed.path === 'string') return installed.path;
  } catch {
    // The installer throws (a string, for @ffmpeg-installer) on unsupported platforms.
  }
  return undefined;
}

export type ResolveOptions = {
  /** FFMPEG_PATH / FFPROBE_PATH from config. */
  ffmpegPath?: string | undefined;
  ffprobePath?: string | undefined;
  /** The PATH to search; defaults to this process's. */
  pathEnv?: string | undefined;
  isExecutable?: (path: string) => boolean;
  fromNpm?: (tool: 'ffmpeg' | 'ffprobe') => string | undefined;
};

/**
 * The README's configuration table: `FFMPEG_PATH`/`FFPROBE_PATH`, else `ffmpeg`/`ffprobe` on PATH, else the
 * npm-bundled binaries. Each tool is resolved on its own, so a machine may pair its own
 * ffmpeg with the bundled ffprobe. An explicit path that does not work is an error, not a
 * reason to fall back silently.
 */
export function resolveFfmpegBinaries(options: ResolveOptions = {}): FfmpegBinaries {
  const isExecutable = options.isExecutable ?? isExecutableFile;
  const fromNpm = options.fromNpm ?? npmBinary;
  const pathEnv = options.pathEnv ?? process.env.PATH ?? '';

  const resolveOne = (tool: 'ffmpeg' | 'ffprobe', explicit: string | undefined): { path: string; source: BinarySource } => {
    const variable = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
    if (explicit) {
      if (!isExecutable(explicit)) throw new FfmpegNotFoundError(`${variable} is ${explicit}, which is not an executable file`);
      return { path: explicit, source: 'env' };
    }
    for (const dir of pathEnv.split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, tool);
      if (isExecutable(candidate)) return { path: candidate, source: 'path' };
    }
    const bundled = fromNpm(tool);
    if (bundled && isExecutable(bundled)) return { path: bundled, source: 'npm' };
    throw new FfmpegNotFoundError(`No ${tool} found: set ${variable}, put ${tool} on PATH, or install the npm dependencies`);
  };

  const ffmpeg = resolveOne('ffmpeg', options.ffmpegPath);
  const ffprobe = resolveOne('ffprobe', options.ffprobePath);
  return { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path, source: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source } };
}
