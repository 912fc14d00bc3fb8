import type { Map as MapLibreMap } from 'maplibre-gl';
import type { MessageKey } from '../i18n/i18n.svelte.ts';

type T = (key: MessageKey) => string;

/** MapLibre's own control texts in the interface language. */
export function mapLocale(t: T): Record<string, string> {
  return {
    'Map.Title': t('map.canvasLabel'),
    'NavigationControl.ZoomIn': t('map.zoomIn'),
    'NavigationControl.ZoomOut': t('map.zoomOut'),
    'AttributionControl.ToggleAttribution': t('map.attribution'),
    'Marker.Title': t('map.marker'),
  };
}

/**
 * MapLibre reads its locale once, at creation; after a language switch the labels it has
 * already written are set again here.
 */
export function applyMapLocale(map: MapLibreMap, t: T): void {
  const c = map.getContainer();
  const set = (selector: string, text: string) => {
    for (const el of c.querySelectorAll(selector)) {
      el.setAttribute('aria-label', text);
      el.setAttribute('title', text);
    }
  };
  map.getCanvas().setAttribute('aria-label', t('map.canvasLabel'));
  set('.maplibregl-ctrl-zoom-in', t('map.zoomIn'));
  set('.maplibregl-ctrl-zoom-out', t('map.zoomOut'));
}
