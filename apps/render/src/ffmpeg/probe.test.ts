import { describe, expect, it } from 'vitest';
import { stderrTail } from './errors.ts';
import { parseProbe, rotationOf } from './probe.ts';

const iphone = {
  streams: [
    {
      index: 0,
      codec_name: 'hevc',
      codec_type: 'video',
      profile: 'Main 10',
      width: 1920,
      height: 1080,
      sample_aspect_ratio: '1:1',
      pix_fmt: 'yuv420p10le',
      field_order: 'progressive',
      r_frame_rate: '30/1',
      avg_frame_rate: '8640000/288007',
      duration: '3.200000',
      nb_frames: '96',
      disposition: { default: 1, attached_pic: 0 },
      side_data_list: [{ side_data_type: 'Display Matrix', displaymatrix: '…', rotation: -90 }],
    },
    { index: 1, codec_name: 'aac', codec_type: 'audio', sample_rate: '44100', channels: 2, channel_layout: 'stereo', duration: '3.2' },
    { index: 2, codec_type: 'data', codec_name: 'none' },
  ],
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '3.210000', size: '1234567', bit_rate: '3000000', start_time: '0.000000' },
};

describe('parseProbe', () => {
  it('reads an iPhone portrait HEVC clip: rotation from the display matrix, size as shown', () => {
    const probe = parseProbe(iphone);
    expect(probe.formatName).toBe('mov,mp4,m4a,3gp,3g2,mj2');
    expect(probe.durationUs).toBe(3_210_000);
    expect(probe.video).toHaveLength(1);
    expect(probe.video[0]).toMatchObject({
      codec: 'hevc',
      codedWidth: 1920,
      codedHeight: 1080,
      rotation: 90,
      width: 1080,
      height: 1920,
      realFrameRate: { num: 30, den: 1 },
      frameCount: 96,
      hasAlpha: false,
      interlaced: false,
      attachedPicture: false,
    });
    expect(probe.audio[0]).toEqual({ index: 1, codec: 'aac', sampleRate: 44100, channels: 2, channelLayout: 'stereo', durationUs: 3_200_000 });
    expect(probe.other).toEqual([{ index: 2, type: 'data', codec: 'none' }]);
    expect(probe.refusedSize).toBeNull();
  });

  it('reads rotation from the old rotate tag (ffprobe 4.x), which is already clockwise', () => {
    expect(rotationOf({ tags: { rotate: '90' } })).toBe(90);
    expect(rotationOf({ tags: { rotate: '270' } })).toBe(270);
    expect(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] })).toBe(270);
    expect(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] })).toBe(180);
    expect(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -0 }] })).toBe(0);
    expect(rotationOf({})).toBe(0);
  });

  it('applies a non-square pixel aspect ratio (anamorphic DV)', () => {
    const probe = parseProbe({ streams: [{ index: 0, codec_type: 'video', codec_name: 'dvvideo', width: 720, height: 480, sample_aspect_ratio: '32:27', field_order: 'bb' }], format: {} });
    expect(probe.video[0]).toMatchObject({ width: 853, height: 480, interlaced: true });
  });

  it('notices alpha and cover art', () => {
    const probe = parseProbe({
      streams: [
        { index: 0, codec_type: 'audio', codec_name: 'mp3', sample_rate: '44100', channels: 2 },
        { index: 1, codec_type: 'video', codec_name: 'png', width: 500, height: 500, pix_fmt: 'rgba', disposition: { attached_pic: 1 } },
      ],
      format: { format_name: 'mp3' },
    });
    expect(probe.video[0]).toMatchObject({ hasAlpha: true, attachedPicture: true });
  });

  it('keeps the size of an image FFmpeg refused to open', () => {
    const probe = parseProbe(
      { streams: [{ index: 0, codec_type: 'video', codec_name: 'png', width: 0, height: 0 }], format: { format_name: 'png_pipe' } },
      '[png @ 0x1] [IMGUTILS @ 0x2] Picture size 30000x30000 is invalid\n',
    );
    expect(probe.refusedSize).toEqual({ width: 30000, height: 30000 });
  });

  it('survives garbage', () => {
    expect(parseProbe(null)).toMatchObject({ formatName: 'unknown', video: [], audio: [], durationUs: null });
    expect(parseProbe({ streams: 'x', format: 3 })).toMatchObject({ video: [], audio: [] });
  });
});

describe('stderrTail', () => {
  it('drops progress lines and keeps the last messages', () => {
    const stderr = 'frame=   10 fps=0.0 q=0.0 size=       0kB time=00:00:00.30\r[mov @ 0x1] moov atom not found\nsize=  1kB time=1\nin.mp4: Invalid data found when processing input\n';
    expect(stderrTail(stderr)).toBe('[mov @ 0x1] moov atom not found\nin.mp4: Invalid data found when processing input');
  });
});
