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
  #markers = new Map<string, { marker: maplibregl.Marker; el: HTMLElement; cls: string; label: HtmlLabel; size: [number, number] | null; shown: [number, number] }>();
  /** Keys in the order of the last update: earlier labels win where they would overlap. */
  #order: string[] = [];
  #declutter: boolean;
  #shift: boolean;
  #onMoveEnd = () => this.#hideOverlaps();

  /**
   * With `declutter`, a label that would cover an earlier one is hidden (after every move), as
   * MapLibre's own symbol placement would do: at a Land's scale there are far more names than room.
   * With `shift` as well, a label first tries the places above, below, right and left of its own
   * before it is hidden (planning labels carry a value each, so moving beats hiding).
   */
  constructor(map: maplibregl.Map, opts: { declutter?: boolean; shift?: boolean } = {}) {
    this.#map = map;
    this.#declutter = opts.declutter ?? false;
    this.#shift = opts.shift ?? false;
    if (this.#declutter) map.on('moveend', this.#onMoveEnd);
  }

  update(labels: readonly HtmlLabel[]): void {
    this.#place(labels);
    this.#order = labels.map((l) => l.key);
    if (this.#declutter) this.#hideOverlaps();
  }

  clear(): void {
    this.update([]);
  }

  /** Stops decluttering and removes every label. */
  destroy(): void {
    this.#map.off('moveend', this.#onMoveEnd);
    this.clear();
  }

  #place(labels: readonly HtmlLabel[]): void {
    const seen = new Set<string>();
    for (const l of labels) {
      seen.add(l.key);
      const existing = this.#markers.get(l.key);
      if (existing) {
        existing.marker.setLngLat(l.lngLat);
        existing.label = l;
        if (existing.el.textContent !== l.text) {
          existing.el.textContent = l.text;
          existing.size = null;
        }
        if (existing.cls !== l.className) {
          existing.el.classList.remove(...existing.cls.split(' ').filter(Boolean));
          existing.el.classList.add(...l.className.split(' ').filter(Boolean));
          existing.cls = l.className;
          existing.size = null;
        }
        continue;
      }
      const el = document.createElement('div');
      el.className = l.className;
      el.textContent = l.text;
      el.setAttribute('aria-hidden', 'true');
      const marker = new maplibregl.Marker({ element: el, offset: l.offset ?? [0, 0] }).setLngLat(l.lngLat).addTo(this.#map);
      // Marker adds its own classes to the element (positioning), so ours are changed by classList.
      this.#markers.set(l.key, { marker, el, cls: l.className, label: l, size: null, shown: l.offset ?? [0, 0] });
    }
    for (const [key, m] of this.#markers) {
      if (!seen.has(key)) {
        m.marker.remove();
        this.#markers.delete(key);
      }
    }
  }

  // Greedy placement in priority order; labels off screen neither show nor block. Sizes are read
  // before any style is written, so the browser lays out once.
  #hideOverlaps(): void {
    const { clientWidth: w, clientHeight: h } = this.#map.getCanvas();
    const items = this.#order.map((k) => this.#markers.get(k)).filter((m) => m !== undefined);
    for (const m of items) m.size ??= [m.el.offsetWidth, m.el.offsetHeight];
    const placed: [number, number, number, number][] = [];
    const free = (b: [number, number, number, number]) => !placed.some((q) => b[0] < q[2] && q[0] < b[2] && b[1] < q[3] && q[1] < b[3]);
    const visible = items.map((m) => {
      const p = this.#map.project(m.label.lngLat);
      const [ox, oy] = m.label.offset ?? [0, 0];
      const [sw, sh] = m.size!;
      const at = ([dx, dy]: [number, number]): [number, number, number, number] => [p.x + dx - sw / 2 - 2, p.y + dy - sh / 2 - 1, p.x + dx + sw / 2 + 2, p.y + dy + sh / 2 + 1];
      const own = at([ox, oy]);
      if (own[2] < 0 || own[0] > w || own[3] < 0 || own[1] > h) return false;
      const candidates: [number, number][] = this.#shift
        ? [[ox, oy], [ox, oy - sh - 3], [ox, oy + sh + 3], [ox + sw / 2 + 6, oy], [ox - sw / 2 - 6, oy]]
        : [[ox, oy]];
      const offset = candidates.find((c) => free(at(c)));
      if (!offset) return false;
      placed.push(at(offset));
      if (offset[0] !== m.shown[0] || offset[1] !== m.shown[1]) {
        m.marker.setOffset(offset);
        m.shown = offset;
      }
      return true;
    });
    items.forEach((m, i) => (m.el.style.visibility = visible[i] ? '' : 'hidden'));
  }
}
