import { PRESETS } from '@cutline/shared/renders';
import { describe, expect, it } from 'vitest';
import { commandLine } from '../ffmpeg/run.ts';
import { planJoin } from './join.ts';

describe('planJoin', () => {
  it('joins the chunks by copy with their exact durations and muxes the audio part (snapshot)', () => {
    const plan = planJoin({
      chunks: [
        { path: '/w/parts/video-0.mp4', frames: 300 },
        { path: "/w/parts/it's video-1.mp4", frames: 300 },
        { path: '/w/parts/video-2.mp4', frames: 137 },
      ],
      audio: '/w/parts/audio.m4a',
      fps: { num: 30000, den: 1001 },
      preset: PRESETS['mp4-1080p'],
      listPath: '/w/job/chunks.txt',
    });
    expect(plan.extension).toBe('mp4');
    expect(plan.list).toMatchSnapshot();
    expect(commandLine({ inputs: plan.inputs, outputOptions: plan.outputOptions, output: '/w/job/out.mp4' })).toMatchSnapshot();
  });

  it('maps no audio when the render has no audio part', () => {
    const plan = planJoin({ chunks: [{ path: '/w/a.webm', frames: 50 }], audio: null, fps: { num: 25, den: 1 }, preset: PRESETS['webm-720p'], listPath: '/w/list.txt' });
    expect(plan.inputs).toHaveLength(1);
    expect(plan.outputOptions).toEqual(['-map', '0:v:0', '-c', 'copy', '-f', 'webm']);
    expect(plan.list.contents).toBe("ffconcat version 1.0\nfile '/w/a.webm'\nduration 2.000000000\n");
  });
});
