import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { RegionProperties } from '../api/regions.ts';
import type { DataStore } from '../state/data.svelte.ts';
import type { ViewState } from '../state/view.svelte.ts';
import { indicatorAt } from '@ilk/core';
import { classify, type Classification } from './classify.ts';
import { defaultIndicator, indicatorValue } from './indicators.ts';

export const CLASS_COUNT = 5;

/** `_v`: the value; `_na`: the indicator does not exist at the region's level (neither coloured nor hatched). */
export type ChoroplethProperties = RegionProperties & { _v?: number; _na?: true };
export type ChoroplethCollection = FeatureCollection<Polygon | MultiPolygon, ChoroplethProperties>;

/** The selected indicator per region and its classes: shared by the region layer and the legend. */
export class Choropleth {
  readonly values: Map<string, number | null>;
  readonly classification: Classification;
  /** Regions at a level where the indicator does not exist (capacity rates at Gemeinde level). */
  readonly unavailable: number;
  /** `_v` is left out where there is no value, so the layer can hatch those regions. */
  readonly collection: ChoroplethCollection;

  constructor(data: DataStore, view: ViewState) {
    this.values = $derived(new Map(data.regions.features.map((f) => [
      f.properties.key, indicatorValue(f.properties, view.indicator, view.indicatorCategory),
    ])));
    const missing = $derived(new Set(data.regions.features.filter((f) => !indicatorAt(view.indicator, f.properties.level)).map((f) => f.properties.key)));
    this.classification = $derived(classify([...this.values].filter(([k]) => !missing.has(k)).map(([, v]) => v), view.method, CLASS_COUNT));
    this.unavailable = $derived(missing.size);
    // Without a chosen indicator the map shows the first one with values for the loaded regions
    // (a fresh Kreis has no capacity reports yet); the URL keeps naming none.
    $effect(() => {
      if (view.indicatorChosen) return;
      const auto = defaultIndicator(data.regions.features.map((f) => f.properties), view.indicatorCategory);
      if (auto && auto !== view.indicator) view.indicator = auto;
    });
    this.collection = $derived({
      ...data.regions,
      features: data.regions.features.map((f) => {
        const v = this.values.get(f.properties.key);
        if (missing.has(f.properties.key)) return { ...f, properties: { ...f.properties, _na: true as const } };
        return { ...f, properties: v === null || v === undefined ? f.properties : { ...f.properties, _v: v } };
      }),
    });
  }
}
