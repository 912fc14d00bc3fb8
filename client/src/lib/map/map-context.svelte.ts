import type { Map as MapLibreMap, LngLatBoundsLike } from 'maplibre-gl';
import type { Geometry, Position } from 'geojson';

/** [west, south, east, north] of any geometry. */
export function bboxOf(geometries: Iterable<Geometry>): [number, number, number, number] | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const visit = (p: Position) => {
    w = Math.min(w, p[0]!); e = Math.max(e, p[0]!);
    s = Math.min(s, p[1]!); n = Math.max(n, p[1]!);
  };
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') visit(c as Position);
    else for (const x of c as unknown[]) walk(x);
  };
  for (const g of geometries) {
    if (g.type === 'GeometryCollection') continue;
    walk(g.coordinates);
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

/**
 * The MapLibre map, once loaded, for the layer components and for the tables (which move the
 * camera to what a row names). `$state.raw`: the map object must not be made deeply reactive.
 */
export class MapContext {
  map = $state.raw<MapLibreMap | null>(null);

  /** Shows a region (its bounds) or a point, without zooming out from a closer view. */
  focus(target: { geometry: Geometry }): void {
    const map = this.map;
    if (!map) return;
    const g = target.geometry;
    if (g.type === 'Point') {
      map.easeTo({ center: g.coordinates as [number, number], zoom: Math.max(map.getZoom(), 13.5), duration: 600 });
      return;
    }
    const bbox = bboxOf([g]);
    if (bbox) map.fitBounds(bbox as LngLatBoundsLike, { padding: 60, maxZoom: 12.5, duration: 600 });
  }
}
