/** The drag payload of a media-bin asset dropped on the timeline. */
export const ASSET_DRAG_TYPE = 'application/x-cutline-asset';

export function hasAssetDrag(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes(ASSET_DRAG_TYPE) ?? false;
}

export function hasFileDrag(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * The asset being dragged. Browsers hide drag data until the drop (only the types are
 * visible during dragover), so the bin also remembers it here for the drop preview.
 */
let current: string | null = null;

export function setDraggedAsset(id: string | null): void {
  current = id;
}

export function draggedAsset(): string | null {
  return current;
}
