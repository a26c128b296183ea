/** VBench's report layout (Suite.layout): its columns as the paper and leaderboard head them, Quality/Semantic panels, the radar. */
import type { ColumnSpec, SuiteLayout } from '../../core/suite-contract.ts';
import { VBENCH_DIMENSIONS, vbenchDimensionInfo, vbenchPerSampleScale } from './constants.ts';
import { vbenchHeadline } from './headline-scores.ts';

/** "subject consistency" → "Subject Consistency", as the VBench paper and leaderboard head their columns. */
function titleCase(label: string): string {
  return label.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

const SHORT: Record<string, string> = {
  subject_consistency: 'Subj. cons.',
  background_consistency: 'Bg. cons.',
  temporal_flickering: 'Temp. flick.',
  motion_smoothness: 'Motion smooth.',
  dynamic_degree: 'Dyn. degree',
  aesthetic_quality: 'Aesthetic',
  imaging_quality: 'Imaging',
  object_class: 'Object class',
  multiple_objects: 'Mult. objects',
  human_action: 'Human action',
  color: 'Color',
  spatial_relationship: 'Spatial rel.',
  scene: 'Scene',
  appearance_style: 'Appear. style',
  temporal_style: 'Temp. style',
  overall_consistency: 'Overall cons.',
};

const dimensions: ColumnSpec[] = VBENCH_DIMENSIONS.map((d) => ({
  id: d.id,
  label: titleCase(d.label),
  short: SHORT[d.id] ?? titleCase(d.label),
  kind: 'dimension',
  group: d.group === 'quality' ? 'Quality' : 'Semantic',
}));

const headlines: ColumnSpec[] = [
  { id: 'total', label: 'Total Score', short: 'Total', kind: 'headline' },
  { id: 'quality', label: 'Quality Score', short: 'Quality', kind: 'headline' },
  { id: 'semantic', label: 'Semantic Score', short: 'Semantic', kind: 'headline' },
];

export const VBENCH_LAYOUT: SuiteLayout = {
  suite: 'vbench',
  title: 'VBench',
  dimensionNoun: 'dimension',
  dimensions,
  headlines,
  panels: [
    {
      title: 'Headline scores and quality dimensions',
      columns: [...headlines.map((h) => h.id), ...dimensions.filter((d) => d.group === 'Quality').map((d) => d.id)],
    },
    { title: 'Semantic dimensions', columns: dimensions.filter((d) => d.group === 'Semantic').map((d) => d.id) },
  ],
  display: { scale: 'percent', decimals: 2, unit: '%' },
  radar: true,
  headline(scores, allowPartial) {
    const h = vbenchHeadline(scores, allowPartial);
    return { total: h.total, quality: h.quality, semantic: h.semantic };
  },
  normalized(id, score) {
    const info = vbenchDimensionInfo(id);
    if (!info) return score;
    return (score - info.min) / (info.max - info.min);
  },
  perSampleScale: vbenchPerSampleScale,
};
