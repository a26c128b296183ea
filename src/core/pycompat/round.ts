/** Python's `round(x)` (and C's round-to-nearest-even, e.g. OpenCV's cvRound): ties go to the even integer. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
