import { filmstripTile, type FilmstripLayout } from '@cutline/shared/media-layout';

export type FilmstripTile = {
  /** Left edge relative to the clip's left edge, px. */
  left: number;
  width: number;
  /** CSS background geometry that shows tile `index` of the sprite at this size. */
  backgroundX: number;
  backgroundY: number;
  backgroundWidth: number;
  backgroundHeight: number;
  index: number;
};

const MAX_TILES = 400;

/**
 * Thumbnails along a clip: tiles at the lane's height side by side, each showing the
 * sprite tile nearest the source time at its left edge (tile k is the frame at
 * k × interval). Only slots overlapping [visibleFrom, visibleTo) (seconds, clip-relative)
 * are returned, so a long clip at high zoom stays cheap.
 */
export function filmstripTiles({
  layout,
  sourceIn,
  speed,
  duration,
  pxPerSecond,
  height,
  visibleFrom = 0,
  visibleTo = Number.POSITIVE_INFINITY,
}: {
  layout: FilmstripLayout;
  sourceIn: number;
  speed: number;
  duration: number;
  pxPerSecond: number;
  height: number;
  visibleFrom?: number;
  visibleTo?: number;
}): FilmstripTile[] {
  if (layout.count < 1 || layout.tileHeight <= 0 || height <= 0) return [];
  const scale = height / layout.tileHeight;
  const width = layout.tileWidth * scale;
  const clipWidth = duration * pxPerSecond;
  const first = Math.max(0, Math.floor((visibleFrom * pxPerSecond) / width));
  const last = Math.min(Math.ceil(clipWidth / width), Math.ceil((Math.min(visibleTo, duration) * pxPerSecond) / width));
  const tiles: FilmstripTile[] = [];
  for (let slot = first; slot < last && tiles.length < MAX_TILES; slot++) {
    const left = slot * width;
    const sourceTime = sourceIn + (left / pxPerSecond) * speed;
    const { index, column, row } = filmstripTile({ layout, sourceSeconds: sourceTime });
    tiles.push({
      left,
      width: Math.min(width, clipWidth - left),
      backgroundX: -column * width,
      backgroundY: -row * height,
      backgroundWidth: layout.columns * width,
      backgroundHeight: layout.rows * height,
      index,
    });
  }
  return tiles;
}
