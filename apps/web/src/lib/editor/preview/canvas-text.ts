import type { SnapshotTextStyle } from '@cutline/timeline';
import type { TextMeasurer } from '@cutline/timeline/layout';

// The browser side of the text layout (TL72–TL74, @cutline/timeline/layout): a canvas
// measures the same TTF files the render reads (served at /fonts/<family>.ttf).

type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** The CSS font shorthand for a family at `px` pixels (quoted: "Roboto Mono"). */
export function cssFont(family: SnapshotTextStyle['fontFamily'], px: number): string {
  return `${px}px "${family}"`;
}

/** drawtext does not kern these fonts; neither does the preview (fontKerning is recent). */
export function setNoKerning(ctx: Ctx2D): void {
  if ('fontKerning' in ctx) ctx.fontKerning = 'none';
}

/** Measures with a 2D context: the hhea box (fontBoundingBox*) and unkerned advances. */
export function canvasMeasurer(ctx: Ctx2D): TextMeasurer {
  return {
    metrics: (family, size) => {
      ctx.font = cssFont(family, size);
      const m = ctx.measureText('Hg');
      return { ascent: m.fontBoundingBoxAscent, descent: m.fontBoundingBoxDescent };
    },
    width: (line, family, size) => {
      ctx.font = cssFont(family, size);
      setNoKerning(ctx);
      return ctx.measureText(line).width;
    },
  };
}
