import { describe, expect, it } from 'vitest';
import { resolveFfmpegBinaries } from './binaries.ts';
import { FfmpegNotFoundError } from './errors.ts';

const only = (paths: string[]) => (path: string) => paths.includes(path);
const npm = (tool: 'ffmpeg' | 'ffprobe') => `/nm/${tool}`;

describe('resolveFfmpegBinaries (FFMPEG_PATH, then PATH, then the bundled build)', () => {
  it('prefers FFMPEG_PATH / FFPROBE_PATH', () => {
    const found = resolveFfmpegBinaries({
      ffmpegPath: '/opt/ff/ffmpeg',
      ffprobePath: '/opt/ff/ffprobe',
      pathEnv: '/usr/bin',
      isExecutable: only(['/opt/ff/ffmpeg', '/opt/ff/ffprobe', '/usr/bin/ffmpeg', '/usr/bin/ffprobe', '/nm/ffmpeg', '/nm/ffprobe']),
      fromNpm: npm,
    });
    expect(found).toEqual({ ffmpeg: '/opt/ff/ffmpeg', ffprobe: '/opt/ff/ffprobe', source: { ffmpeg: 'env', ffprobe: 'env' } });
  });

  it('then PATH, then the npm binaries, each tool on its own', () => {
    const found = resolveFfmpegBinaries({
      pathEnv: '/nothing:/usr/local/bin:/usr/bin',
      isExecutable: only(['/usr/bin/ffmpeg', '/nm/ffmpeg', '/nm/ffprobe']),
      fromNpm: npm,
    });
    expect(found).toEqual({ ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/nm/ffprobe', source: { ffmpeg: 'path', ffprobe: 'npm' } });
  });

  it('names the variable when an explicit path is wrong, instead of falling back', () => {
    expect(() => resolveFfmpegBinaries({ ffmpegPath: '/missing/ffmpeg', isExecutable: only(['/nm/ffmpeg']), fromNpm: npm })).toThrow(/FFMPEG_PATH is \/missing\/ffmpeg/);
  });

  it('says what to do when nothing is found', () => {
    expect(() => resolveFfmpegBinaries({ pathEnv: '', isExecutable: () => false, fromNpm: () => undefined })).toThrow(FfmpegNotFoundError);
  });

  it('finds real binaries on this machine', () => {
    const found = resolveFfmpegBinaries();
    expect(found.ffmpeg).toMatch(/ffmpeg$/);
    expect(found.ffprobe).toMatch(/ffprobe$/);
  });
});
