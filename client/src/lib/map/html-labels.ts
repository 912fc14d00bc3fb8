import * as maplibregl from 'maplibre-gl';

export interface HtmlLabel {
  key: string;
  /** Pixels from the point to the label's centre. */
  offset?: [number, number];
  lngLat: [number, number];
  text: string;
  className: string;
}

/**
 * Text on the map as HTML markers: MapLibre symbol text would need glyph files, which the
 * strict CSP keeps us from loading elsewhere. The labels are decorative (aria-hidden): the same
 * names and numbers are in the tables, which are the accessible way to the data.
 */
export class HtmlLabels {
  #map: maplibregl.Map;
  #markers = new Map<string, { marker: maplibregl.Marker; el: HTMLElement; cls: string }>();

  constructor(map: maplibregl.Map) {
    this.#map = map;
  }

  update(labels: readonly HtmlLabel[]): void {
    const seen = new Set<string>();
    for (const l of labels) {
      seen.add(l.key);
      const existing = this.#markers.get(l.key);
      if (existing) {
        existing.marker.setLngLat(l.lngLat);
        if (existing.el.textContent !== l.text) existing.el.textContent = l.text;
        if (existing.cls !== l.className) {
          existing.el.classList.remove(...existing.cls.split(' ').filter(Boolean));
          existing.el.classList.add(...l.className.split(' ').filter(Boolean));
          existing.cls = l.className;
        }
        continue;
      }
      const el = document.createElement('div');
      el.className = l.className;
      el.textContent = l.text;
      el.setAttribute('aria-hidden', 'true');
      const marker = new maplibregl.Marker({ element: el, offset: l.offset ?? [0, 0] }).setLngLat(l.lngLat).addTo(this.#map);
      // Marker adds its own classes to the element (positioning), so ours are changed by classList.
      this.#markers.set(l.key, { marker, el, cls: l.className });
    }
    for (const [key, m] of this.#markers) {
      if (!seen.has(key)) {
        m.marker.remove();
        this.#markers.delete(key);
      }
    }
  }

  clear(): void {
    this.update([]);
  }
}
