import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { isRefusedWrite } from './sync-refusal.ts';

function frame(name: string, type: number, write: (e: encoding.Encoder) => void = () => {}): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, name);
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}

describe('isRefusedWrite', () => {
  it('[SY3] reads a SyncStatus 0 as a refused write', () => {
    expect(isRefusedWrite(frame('project/abc/timeline', 8, (e) => encoding.writeVarInt(e, 0)))).toBe(true);
  });

  it('reads a SyncStatus 1 (applied and stored) as no refusal', () => {
    expect(isRefusedWrite(frame('project/abc/timeline', 8, (e) => encoding.writeVarInt(e, 1)))).toBe(false);
  });

  it('ignores every other message type and truncated frames', () => {
    expect(isRefusedWrite(frame('project/abc/timeline', 0, (e) => encoding.writeVarUint(e, 0)))).toBe(false);
    expect(isRefusedWrite(frame('project/abc/timeline', 7, (e) => encoding.writeVarString(e, 'permission-revoked')))).toBe(false);
    expect(isRefusedWrite(frame('project/abc/timeline', 8))).toBe(false);
    expect(isRefusedWrite(new Uint8Array())).toBe(false);
  });

  it('skips a long (multi-byte length) document name', () => {
    const name = `project/${'a'.repeat(64)}/comments`.padEnd(200, 'x');
    expect(isRefusedWrite(frame(name, 8, (e) => encoding.writeVarInt(e, 0)))).toBe(true);
  });
});
