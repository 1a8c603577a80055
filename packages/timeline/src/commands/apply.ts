// Applying commands (TL40, TL43): validate the input, plan it against the current state
// (or, in a batch, against the state projected by the earlier commands), and only then
// write everything in ONE Y.Doc transaction tagged with the caller's origin.

import * as Y from 'yjs';
import { InvalidCommandError, SchemaVersionError, TimelineError } from '../errors.ts';
import { docIndex } from '../doc-index.ts';
import type { Roots } from '../doc.ts';
import { createEntityMap, encodeFields, setChangedFields, setSettingsFields, settingsFields } from '../doc.ts';
import type { IdGenerator } from '../ids.ts';
import { createId } from '../ids.ts';
import { LIMITS, SCHEMA_VERSION } from '../model.ts';
import type { TimelineOrigin } from '../origin.ts';
import { isTimelineOrigin } from '../origin.ts';
import type { Write } from '../state.ts';
import { Overlay } from '../state.ts';
import { addColorClip, addClip, addTextClip, updateClip } from './clips.ts';
import type { PlanContext } from './context.ts';
import { moveClip, removeClip, rippleDelete, splitClip, trimClip } from './edits.ts';
import { addMarker, registerAsset, removeMarker, setSettings, updateAsset } from './project.ts';
import type { CommandResult, TimelineCommand } from './schema.ts';
import { REF_PATTERN, parseCommand } from './schema.ts';
import { addTrack, removeTrack, updateTrack } from './tracks.ts';
import { addTransition, removeTransition } from './transitions.ts';

export interface CommandOptions {
  /** Id generator for created entities (default: random 21-character ids). */
  ids?: IdGenerator;
}

function assertNever(value: never): never {
  throw new InvalidCommandError('type', `unknown command ${JSON.stringify(value)}`);
}

/** Plan one validated command into `ctx.ov`. The switch is exhaustive: a command type without its case fails to compile. */
export function planCommand(ctx: PlanContext, cmd: TimelineCommand): CommandResult {
  switch (cmd.type) {
    case 'setSettings':
      return setSettings(ctx, cmd);
    case 'addTrack':
      return addTrack(ctx, cmd);
    case 'updateTrack':
      return updateTrack(ctx, cmd);
    case 'removeTrack':
      return removeTrack(ctx, cmd);
    case 'addClip':
      return addClip(ctx, cmd);
    case 'addTextClip':
      return addTextClip(ctx, cmd);
    case 'addColorClip':
      return addColorClip(ctx, cmd);
    case 'updateClip':
      return updateClip(ctx, cmd);
    case 'moveClip':
      return moveClip(ctx, cmd);
    case 'trimClip':
      return trimClip(ctx, cmd);
    case 'splitClip':
      return splitClip(ctx, cmd);
    case 'removeClip':
      return removeClip(ctx, cmd);
    case 'rippleDelete':
      return rippleDelete(ctx, cmd);
    case 'addTransition':
      return addTransition(ctx, cmd);
    case 'removeTransition':
      return removeTransition(ctx, cmd);
    case 'addMarker':
      return addMarker(ctx, cmd);
    case 'removeMarker':
      return removeMarker(ctx, cmd);
    case 'registerAsset':
      return registerAsset(ctx, cmd);
    case 'updateAsset':
      return updateAsset(ctx, cmd);
    default:
      return assertNever(cmd);
  }
}

function writeAll(roots: Roots, writes: readonly Write[]): void {
  for (const w of writes) {
    switch (w.op) {
      case 'settings':
        setSettingsFields(roots.settings, settingsFields(w.patch));
        break;
      case 'put':
        roots[w.coll].set(w.rec.id, createEntityMap(encodeFields(w.coll, w.rec)));
        break;
      case 'patch': {
        const m = roots[w.coll].get(w.id);
        if (!(m instanceof Y.Map)) throw new Error(`timeline invariant broken: patch of missing ${w.coll} ${w.id}`);
        setChangedFields(m, encodeFields(w.coll, w.patch));
        break;
      }
      case 'delete':
        roots[w.coll].delete(w.id);
        break;
    }
  }
}

function checkOrigin(origin: unknown): asserts origin is TimelineOrigin {
  if (!isTimelineOrigin(origin)) throw new TypeError('commands need a TimelineOrigin (use originFor(source, userId))');
}

function startPlan(doc: Y.Doc, options: CommandOptions): PlanContext {
  const base = docIndex(doc);
  if (base.schemaVersion !== SCHEMA_VERSION) {
    throw new SchemaVersionError(
      base.schemaVersion,
      base.schemaVersion === undefined
        ? 'the document is not initialised (createTimelineDoc / initTimelineDoc)'
        : `the document has schema version ${base.schemaVersion}, this code writes ${SCHEMA_VERSION} (run migrate)`,
    );
  }
  return { ov: new Overlay(base), ids: options.ids ?? createId };
}

function commit(doc: Y.Doc, ctx: PlanContext, origin: TimelineOrigin): void {
  if (ctx.ov.writes.length === 0) return;
  const roots = docIndex(doc).roots;
  doc.transact(() => writeAll(roots, ctx.ov.writes), origin);
}

/**
 * Validate and apply one command as one transaction. Throws a `TimelineError` and leaves
 * the document untouched if the command is invalid.
 */
export function applyCommand(doc: Y.Doc, command: unknown, origin: TimelineOrigin, options: CommandOptions = {}): CommandResult {
  checkOrigin(origin);
  const ctx = startPlan(doc, options);
  const result = planCommand(ctx, parseCommand(resolveRefs(command, [])));
  commit(doc, ctx, origin);
  return result;
}

/**
 * Apply a batch atomically (TL43): every command is validated against the state the
 * earlier ones leave behind, then all writes go into one transaction — or, if any command
 * fails, none. A command may refer to an id created earlier in the batch as `$N.field`
 * (e.g. `"trackId": "$0.trackId"`, `"clipId": "$2.clipIds.1"`).
 */
export function applyCommands(doc: Y.Doc, commands: readonly unknown[], origin: TimelineOrigin, options: CommandOptions = {}): CommandResult[] {
  checkOrigin(origin);
  if (!Array.isArray(commands)) throw new InvalidCommandError('', 'expected an array of commands');
  if (commands.length > LIMITS.batchCommands) throw new InvalidCommandError('', `more than ${LIMITS.batchCommands} commands in one batch`);
  const ctx = startPlan(doc, options);
  const results: CommandResult[] = [];
  commands.forEach((raw, i) => {
    try {
      results.push(planCommand(ctx, parseCommand(resolveRefs(raw, results))));
    } catch (e) {
      if (e instanceof TimelineError) e.commandIndex = i;
      throw e;
    }
  });
  commit(doc, ctx, origin);
  return results;
}

/** Fields that hold ids of existing entities and so may carry `$N.field` references. */
const REF_FIELDS = ['trackId', 'clipId', 'assetId', 'fromClipId', 'toClipId', 'transitionId', 'markerId'];
const REF_REGEX = new RegExp(REF_PATTERN);

function resolveRefs(command: unknown, results: readonly CommandResult[]): unknown {
  if (typeof command !== 'object' || command === null || Array.isArray(command)) return command;
  const src = command as Record<string, unknown>;
  // registerAsset's assetId names a new asset; it is never a reference.
  if (src['type'] === 'registerAsset') return command;
  let out: Record<string, unknown> | null = null;
  for (const field of REF_FIELDS) {
    const v = src[field];
    if (typeof v !== 'string' || !REF_REGEX.test(v)) continue;
    out ??= { ...src };
    out[field] = resolveRef(v, results, field);
  }
  return out ?? command;
}

function resolveRef(ref: string, results: readonly CommandResult[], path: string): string {
  const [indexPart, key, sub] = ref.slice(1).split('.');
  const index = Number(indexPart);
  const result = results[index] as Record<string, unknown> | undefined;
  if (result === undefined) throw new InvalidCommandError(path, `${ref} refers to command ${index}, which has not run before this one`);
  let value = key === undefined ? undefined : result[key];
  if (Array.isArray(value)) value = sub === undefined ? undefined : (value as unknown[])[Number(sub)];
  else if (sub !== undefined) value = undefined;
  if (typeof value !== 'string') throw new InvalidCommandError(path, `${ref} does not name an id created by command ${index}`);
  return value;
}
