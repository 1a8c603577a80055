import type { ClientFrame } from './frame.ts';
import type { CheckedUpdate } from './update-check.ts';

/**
 * What the gate learned about a frame, kept for the hooks that see the same bytes later
 * (Hocuspocus hands the very same Uint8Array to beforeHandleMessage), so an update is
 * parsed and decoded once. Weakly held: it goes when the frame does.
 */
export type CheckedFrame = { frame: ClientFrame; update?: CheckedUpdate };

const checked = new WeakMap<Uint8Array, CheckedFrame>();

export function rememberCheck(data: Uint8Array, result: CheckedFrame): void {
  checked.set(data, result);
}

export function recallCheck(data: Uint8Array): CheckedFrame | undefined {
  return checked.get(data);
}
