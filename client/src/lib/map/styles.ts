import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import type { ClassInfo } from './classify.ts';

// Style objects of the app's layers. The base style needs no network: a background colour and
// our own layers. No layer uses text (symbol text needs glyph files, which the CSP forbids
// loading from elsewhere); labels are HTML overlays, see RegionLabels.svelte.

export const NO_DATA_PATTERN = 'hatch';
export const SELECTED_OUTLINE = '#111111';

export const BASE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#dfe7ea' } }],
};

export const LAYER_IDS = {
  regionsFill: 'regions-fill',
  regionsNoData: 'regions-nodata',
  regionsLine: 'regions-line',
  regionsState: 'regions-state',
  district: 'district-outline',
  clusters: 'offers-clusters',
  offers: 'offers-points',
  offerSelected: 'offers-selected',
  needs: 'needs-points',
  needSelected: 'needs-selected',
  allocationFill: 'allocation-fill',
  allocationNoData: 'allocation-nodata',
  allocationLine: 'allocation-line',
  allocationState: 'allocation-state',
} as const;

/** Class colours as a step expression over the `_v` property the region layer adds. */
export function choroplethColor(classes: ClassInfo[]): ExpressionSpecification | string {
  if (classes.length === 0) return '#cccccc';
  // A step needs at least one stop: with a single class (all regions of a small district in
  // one class, say) the colour is a constant.
  if (classes.length === 1) return classes[0]!.color;
  const step: unknown[] = ['step', ['get', '_v'], classes[0]!.color];
  for (const c of classes.slice(1)) step.push(c.lower, c.color);
  return step as ExpressionSpecification;
}

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

export const regionFillOpacity: ExpressionSpecification = ['case', hovered, 0.95, 0.78];
export const regionStateLineWidth: ExpressionSpecification = ['case', selected, 4, hovered, 2, 0];
export const regionStateLineColor: ExpressionSpecification = ['case', selected, SELECTED_OUTLINE, '#333333'];

export const CLUSTER_COLOR = '#24505f';
export const clusterRadius: ExpressionSpecification = ['step', ['get', 'point_count'], 15, 10, 19, 50, 24, 200, 30];
