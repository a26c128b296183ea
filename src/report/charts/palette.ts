/**
 * Okabe–Ito colours (Okabe & Ito, "Color Universal Design", 2008): distinguishable with the common
 * forms of colour-vision deficiency. Ordered so that the first series have the most contrast on
 * white; yellow comes last. Published baselines are drawn dashed on top of their colour.
 */
export const OKABE_ITO: readonly string[] = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
];

export function seriesColour(i: number): string {
  return OKABE_ITO[i % OKABE_ITO.length]!;
}

/** The colour with an alpha channel, for fills. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
