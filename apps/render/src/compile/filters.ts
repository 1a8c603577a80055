// Small helpers to write filter graph text. User text never goes into the graph: drawtext
// reads it from a file (textfile=, expansion=none), so only paths, numbers and colours we
// generate are written here, and paths are escaped anyway.

/**
 * A value for `key=value` inside a filter in a filter graph. FFmpeg parses it twice: the
 * graph parser (special: \ ' [ ] , ;) and then the filter's option parser (special: \ ' :).
 * Escape for the inner level, then quote the whole thing for the outer one.
 */
export function filterValue(value: string): string {
  const inner = value.replace(/[\\':]/g, (c) => `\\${c}`);
  // Inside '…' the graph parser takes everything literally up to the next ', so a ' is
  // written as '\'' (close the quote, an escaped quote, reopen).
  return `'${inner.replace(/'/g, "'\\''")}'`;
}

/** `#rrggbb` / `#rrggbbaa` → FFmpeg's `0xRRGGBBAA`. */
export function ffColor(color: string): string {
  const hex = color.replace(/^#/, '');
  if (!/^[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(hex)) throw new RangeError(`not a #rrggbb[aa] colour: ${color}`);
  return `0x${hex.toUpperCase()}${hex.length === 6 ? 'FF' : ''}`;
}

/** An opaque colour for the canvas: a translucent project background is flattened onto black. */
export function opaqueColor(color: string): string {
  const hex = color.replace(/^#/, '');
  if (hex.length !== 8) return ffColor(color);
  const alpha = parseInt(hex.slice(6, 8), 16) / 255;
  const channel = (i: number) =>
    Math.round(parseInt(hex.slice(i, i + 2), 16) * alpha)
      .toString(16)
      .padStart(2, '0');
  return `0x${(channel(0) + channel(2) + channel(4)).toUpperCase()}FF`;
}

/** Joins `name=value` options with ':'; values must already be safe or escaped. */
export function filter(name: string, options: Record<string, string | number> = {}): string {
  const parts = Object.entries(options).map(([key, value]) => `${key}=${value}`);
  return parts.length === 0 ? name : `${name}=${parts.join(':')}`;
}

/** One labelled chain: `[in][in2]f1,f2[out]`. */
export function chain(inputs: string[], filters: string[], output: string): string {
  return `${inputs.map((i) => `[${i}]`).join('')}${filters.join(',')}[${output}]`;
}
