/** A window's position and size, as `browser.windows` reports them (any may be missing). */
export interface Bounds {
  left?: number;
  top?: number;
  width?: number;
  height?: number;
}

/**
 * Where the confirmation window goes: centred over the browser window the click came from, so it opens where the
 * user is looking instead of in a corner of the screen; never above or left of that window. Nothing when the
 * browser does not say where its window is (the browser then picks a place itself).
 */
export function centredOver(
  parent: Bounds | undefined,
  size: { width: number; height: number },
): { left: number; top: number } | undefined {
  if (
    !parent ||
    parent.left === undefined ||
    parent.top === undefined ||
    parent.width === undefined ||
    parent.height === undefined
  )
    return undefined;
  return {
    left: Math.round(parent.left + Math.max(0, (parent.width - size.width) / 2)),
    top: Math.round(parent.top + Math.max(0, (parent.height - size.height) / 2)),
  };
}
