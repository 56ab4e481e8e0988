// Typed arrays that double when an index outgrows them.

/** A copy of `a` at least `min` long (doubling), new elements `fill`. */
export function growFloat64(a: Float64Array, min: number, fill = 0): Float64Array<ArrayBuffer> {
  const b = new Float64Array(newLength(a.length, min));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** A copy of `a` at least `min` long (doubling), new elements `fill`. */
export function growInt32(a: Int32Array, min: number, fill = 0): Int32Array<ArrayBuffer> {
  const b = new Int32Array(newLength(a.length, min));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

function newLength(length: number, min: number): number {
  let n = Math.max(length, 8);
  while (n < min) n *= 2;
  return n;
}
