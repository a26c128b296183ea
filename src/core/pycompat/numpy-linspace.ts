/** numpy.linspace(start, stop, num) in float64 (numpy's formula: j·step + start, exact endpoint). */
export function numpyLinspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  const y = Array.from({ length: num }, (_, j) => (step === 0 ? (j / div) * delta : j * step) + start);
  y[num - 1] = stop;
  return y;
}
