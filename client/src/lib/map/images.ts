import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Category } from '../api/meta.ts';
import { NEED_MARK_PATH, NEED_PATH, SHAPE_PATHS, drawHatch, drawSymbol, shapeOf } from './icons.ts';
import { NO_DATA_PATTERN } from './styles.ts';

export const NEED_COLORS: Record<string, string> = { hoch: '#b2182b', mittel: '#d96a00', niedrig: '#6b6b6b' };
const NEED_SIZES: Record<string, number> = { hoch: 26, mittel: 22, niedrig: 19 };
export const FALLBACK_CATEGORY_COLOR = '#555555';

/** The category's shape, by its position in the category list from /api/meta. */
export function categoryShape(categories: readonly Category[], key: string) {
  const i = categories.findIndex((c) => c.key === key);
  return shapeOf(i < 0 ? 0 : i);
}

/** Adds the symbol images every layer uses: drawn here, so no sprite has to be fetched. */
export function registerImages(map: MapLibreMap, categories: readonly Category[]): void {
  categories.forEach((c, i) => {
    map.addImage(`cat-${c.key}`, drawSymbol(SHAPE_PATHS[shapeOf(i)], c.color, 18), { pixelRatio: 2 });
  });
  for (const [priority, color] of Object.entries(NEED_COLORS)) {
    map.addImage(`need-${priority}`, drawSymbol(NEED_PATH, color, NEED_SIZES[priority]!, NEED_MARK_PATH), { pixelRatio: 2 });
  }
  map.addImage(NO_DATA_PATTERN, drawHatch());
  // A category added later (without a reload) still shows, as a grey circle.
  map.on('styleimagemissing', (e) => {
    if (e.id.startsWith('cat-') && !map.hasImage(e.id)) {
      map.addImage(e.id, drawSymbol(SHAPE_PATHS.circle, FALLBACK_CATEGORY_COLOR, 18), { pixelRatio: 2 });
    }
  });
}
