import { describe, expect, it } from 'vitest';
import { parseProbe, type MediaProbe } from '../ffmpeg/index.ts';
import { checkDuration, classifyMedia, NOT_MEDIA } from './classify.ts';
import { MediaRejectedError } from './errors.ts';

const probe = (format: string, streams: Record<string, unknown>[], stderr = ''): MediaProbe =>
  parseProbe({ format: { format_name: format, duration: '2.0' }, streams: streams.map((s, index) => ({ index, ...s })) }, stderr);

const h264 = { codec_type: 'video', codec_name: 'h264', width: 320, height: 240, avg_frame_rate: '30/1', r_frame_rate: '30/1' };
const aac = { codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2 };

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof MediaRejectedError) return error.reason;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('classifyMedia', () => {
  it('video, with or without audio', () => {
    expect(classifyMedia(probe('mov,mp4,m4a,3gp,3g2,mj2', [h264, aac]))).toMatchObject({ kind: 'video', video: { index: 0 }, audio: { index: 1 } });
    expect(classifyMedia(probe('matroska,webm', [h264]))).toMatchObject({ kind: 'video', audio: null });
  });

  it('audio, also with cover art', () => {
    const cover = { codec_type: 'video', codec_name: 'mjpeg', width: 500, height: 500, disposition: { attached_pic: 1 } };
    expect(classifyMedia(probe('mp3', [aac, cover]))).toMatchObject({ kind: 'audio', video: null, audio: { index: 0 } });
    expect(classifyMedia(probe('wav', [aac]))).toMatchObject({ kind: 'audio' });
  });

  it('images from the still-picture demuxers', () => {
    expect(classifyMedia(probe('png_pipe', [{ codec_type: 'video', codec_name: 'png', width: 100, height: 50, pix_fmt: 'rgba' }]))).toMatchObject({
      kind: 'image',
      video: { width: 100, height: 50, hasAlpha: true },
    });
    expect(classifyMedia(probe('jpeg_pipe', [{ codec_type: 'video', codec_name: 'mjpeg', width: 640, height: 480 }]))).toMatchObject({ kind: 'image' });
  });

  it('refuses images over 16384 a side or 100 MP, naming the size', () => {
    const big = (w: number, h: number) => probe('png_pipe', [{ codec_type: 'video', codec_name: 'png', width: w, height: h }]);
    expect(rejection(() => classifyMedia(big(20000, 100)))).toMatch(/20000×100 pixels.*16384/);
    expect(rejection(() => classifyMedia(big(12000, 9000)))).toMatch(/12000×9000 pixels.*100 megapixels/);
    expect(classifyMedia(big(16384, 6000)).kind).toBe('image');
    const refused = probe('png_pipe', [{ codec_type: 'video', codec_name: 'png', width: 0, height: 0 }], 'Picture size 30000x30000 is invalid');
    expect(rejection(() => classifyMedia(refused))).toMatch(/^The image is 30000×30000 pixels/);
  });

  it('refuses video larger than 8K', () => {
    expect(rejection(() => classifyMedia(probe('matroska,webm', [{ ...h264, width: 15360, height: 8640 }])))).toMatch(/15360×8640.*8192/);
  });

  it('refuses text dressed as video, and files without usable streams', () => {
    expect(rejection(() => classifyMedia(probe('tty', [{ codec_type: 'video', codec_name: 'ansi', width: 640, height: 400 }])))).toBe(NOT_MEDIA);
    expect(rejection(() => classifyMedia(probe('srt', [{ codec_type: 'subtitle', codec_name: 'subrip' }])))).toMatch(/only subtitles/);
    expect(rejection(() => classifyMedia(probe('unknown', [])))).toBe(NOT_MEDIA);
  });

  it('checks the length once known', () => {
    expect(checkDuration('video', 2_000_000)).toBe(2_000_000);
    expect(checkDuration('image', null)).toBeNull();
    expect(rejection(() => checkDuration('audio', null))).toMatch(/no playable length/);
    expect(rejection(() => checkDuration('video', 25 * 3_600_000_000))).toMatch(/25.0 hours long/);
  });
});
