// @cutline/timeline/layout: the picture and edit rules that preview, render and editor
// share (SPEC TL70–TL78). Pure and browser-safe: no DOM, no Node; measuring text is
// injected (a canvas in the browser, the TTF metrics on the render farm).

export { fitInside, placeLayer, placeMedia, placementCorners, rotationRadians, type Placement, type Size } from './geometry.ts';
export { LINE_HEIGHT, layoutText, splitLines, textPixelSize, type FontMetrics, type TextBlock, type TextLine, type TextMeasurer } from './text.ts';
export {
  clipAt,
  clipKindForAsset,
  editView,
  isFree,
  maxTransitionDuration,
  nextAdjacent,
  snapSpan,
  snapTargets,
  snapTime,
  trackAcceptsAsset,
  trackAcceptsClip,
  trimBounds,
  type EditAsset,
  type EditClip,
  type EditView,
  type SnapTarget,
  type Snapped,
  type TrimBounds,
} from './edit.ts';
