type GrowableArray = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

/** A copy of `array` lengthened to `length`, new elements set to `fill` (default 0). */
export function grown<T extends GrowableArray>(array: T, length: number, fill = 0): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  if (fill !== 0) copy.fill(fill, array.length);
  return copy;
}
