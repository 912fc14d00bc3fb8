// The shapefile package (0.6) ships no types; only the part the import uses is declared.
declare module 'shapefile' {
  import type { Feature, Geometry } from 'geojson';

  export type ShapefileFeature = Feature<Geometry | null, Record<string, unknown>>;

  export interface ShapefileSource {
    bbox: number[];
    read(): Promise<{ done: true; value: undefined } | { done: false; value: ShapefileFeature }>;
    cancel(): Promise<void>;
  }

  export function open(
    shp: string | ArrayBuffer | Uint8Array,
    dbf?: string | ArrayBuffer | Uint8Array,
    options?: { encoding?: string },
  ): Promise<ShapefileSource>;
}
