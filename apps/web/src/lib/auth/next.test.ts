import { describe, expect, it } from 'vitest';
import { nextTarget } from './next.ts';

describe('after-login destination', () => {
  it('accepts only our own pages', () => {
    expect(nextTarget('/projects/abc123')).toEqual({ kind: 'project', id: 'abc123' });
    expect(nextTarget('/join/tok_en.1')).toEqual({ kind: 'join', token: 'tok_en.1' });
    expect(nextTarget('/account')).toEqual({ kind: 'account' });
    expect(nextTarget(null)).toEqual({ kind: 'projects' });
    expect(nextTarget('https://evil.example/')).toEqual({ kind: 'projects' });
    expect(nextTarget('//evil.example/projects/x')).toEqual({ kind: 'projects' });
    expect(nextTarget('/projects/../../etc')).toEqual({ kind: 'projects' });
  });
});
