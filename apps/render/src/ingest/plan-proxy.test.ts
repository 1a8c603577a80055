import { describe, expect, it } from 'vitest';
import type { AudioStreamInfo } from '../ffmpeg/index.ts';
import { fitWithin, planAudioProxy, planImageProxy, planVideoProxy } from './plan-proxy.ts';
import { videoStream } from './stream-fixtures.ts';

const stereo: AudioStreamInfo = { index: 1, codec: 'aac', sampleRate: 44100, channels: 6, channelLayout: '5.1', durationUs: 10_000_000 };

describe('fitWithin (≤ 720p, even sides, never upscaled)', () => {
  const box = { maxLong: 1280, maxShort: 720 };
  it.each([
    [1920, 1080, 1280, 720],
    [1080, 1920, 720, 1280],
    [3840, 2160, 1280, 720],
    [4000, 3000, 960, 720],
    [2560, 1080, 1280, 540],
    [320, 240, 320, 240],
    [321, 241, 320, 240],
    [1, 1, 2, 2],
  ])('%i×%i → %i×%i', (width, height, w, h) => {
    expect(fitWithin({ width, height, ...box })).toEqual({ width: w, height: h });
  });
});

describe('planVideoProxy', () => {
  it('1080p 29.97 with 5.1 audio → 720p H.264/AAC stereo, a keyframe every 29 frames (< 1 s)', () => {
    const plan = planVideoProxy({ video: videoStream(), audio: stereo, fps: { num: 30000, den: 1001 } });
    expect(plan).toMatchObject({ width: 1280, height: 720, fps: { num: 30000, den: 1001 } });
    expect(plan.args.inputOptions).toEqual([]);
    expect(plan.args.outputOptions.join(' ')).toMatchInlineSnapshot(
      `"-map 0:0 -map 0:1 -vf fps=30000/1001,scale=1280:720,setsar=1 -c:v libx264 -preset veryfast -crf 23 -profile:v high -pix_fmt yuv420p -g 29 -keyint_min 29 -sc_threshold 0 -c:a aac -b:a 128k -ac 2 -ar 48000 -sn -dn -map_metadata -1 -map_chapters -1 -movflags +faststart -f mp4"`,
    );
  });

  it('sizes a rotated phone clip by its displayed (portrait) size and deinterlaces interlaced video', () => {
    const plan = planVideoProxy({ video: videoStream({ rotation: 90, width: 1080, height: 1920, interlaced: true }), audio: null, fps: { num: 30, den: 1 } });
    expect(plan).toMatchObject({ width: 720, height: 1280 });
    const vf = plan.args.outputOptions[plan.args.outputOptions.indexOf('-vf') + 1];
    expect(vf).toBe('yadif,fps=30/1,scale=720:1280,setsar=1');
    expect(plan.args.outputOptions).toContain('-an');
    expect(plan.args.outputOptions).toContain('30');
  });

  it('previews slow motion at 60 fps', () => {
    const plan = planVideoProxy({ video: videoStream(), audio: null, fps: { num: 240, den: 1 } });
    expect(plan.fps).toEqual({ num: 60, den: 1 });
    expect(plan.args.outputOptions.slice(plan.args.outputOptions.indexOf('-g'), plan.args.outputOptions.indexOf('-g') + 2)).toEqual(['-g', '60']);
  });
});

describe('planAudioProxy / planImageProxy', () => {
  it('audio: AAC in MP4, mono stays mono', () => {
    const args = planAudioProxy({ audio: { ...stereo, channels: 1 } }).args.outputOptions;
    expect(args.join(' ')).toBe('-map 0:1 -vn -sn -dn -c:a aac -b:a 128k -ac 1 -ar 48000 -map_metadata -1 -movflags +faststart -f mp4');
  });

  it('images: PNG keeps alpha, JPEG otherwise, within 2048', () => {
    expect(planImageProxy({ image: videoStream({ codec: 'png', width: 4000, height: 1000, hasAlpha: true }) })).toMatchObject({ extension: 'png', width: 2048, height: 512 });
    const jpeg = planImageProxy({ image: videoStream({ codec: 'mjpeg', width: 640, height: 480 }) });
    expect(jpeg).toMatchObject({ extension: 'jpg', width: 640, height: 480 });
    expect(jpeg.args.outputOptions).toContain('yuvj420p');
  });
});
