import { DEFAULT_VIEW, parseView, serializeView, type AppMode, type ClassMethod, type DrawerTab, type Indicator, type LayerKey, type Level, type PlanView, type Selection, type ViewSnapshot, type OfferFilters } from './view-url.ts';
import { DEFAULT_PLAN } from './plan-url.ts';
import { DEFAULT_DASH, type DashView } from './dashboard-url.ts';

/**
 * What the user looks at: camera, region level, indicator, layers, filters, selection and the
 * open table. Every field is in the URL hash (see view-url.ts), so the view can be shared.
 */
export class ViewState {
  mode = $state<AppMode>(DEFAULT_VIEW.mode);
  center = $state<[number, number] | null>(DEFAULT_VIEW.center);
  zoom = $state<number | null>(DEFAULT_VIEW.zoom);
  level = $state<Level>(DEFAULT_VIEW.level);
  indicator = $state<Indicator>(DEFAULT_VIEW.indicator);
  indicatorChosen = $state(DEFAULT_VIEW.indicatorChosen);
  indicatorCategory = $state(DEFAULT_VIEW.indicatorCategory);
  method = $state<ClassMethod>(DEFAULT_VIEW.method);
  layers = $state<LayerKey[]>([...DEFAULT_VIEW.layers]);
  needsDone = $state(DEFAULT_VIEW.needsDone);
  categories = $state<string[] | null>(DEFAULT_VIEW.categories);
  q = $state(DEFAULT_VIEW.q);
  offerFilters = $state<OfferFilters>(structuredClone(DEFAULT_VIEW.offerFilters));
  selection = $state<Selection | null>(DEFAULT_VIEW.selection);
  tab = $state<DrawerTab | null>(DEFAULT_VIEW.tab);
  plan = $state<PlanView>(structuredClone(DEFAULT_PLAN));
  dash = $state<DashView>({ ...DEFAULT_DASH });
  /** Incremented when the camera should move to the URL's center and zoom (a pasted link). */
  cameraRequest = $state(0);

  constructor(hash: string) {
    this.apply(parseView(hash));
    // The map opens at the URL's camera itself; requests are for later changes of the hash.
    this.cameraRequest = 0;
  }

  apply(v: ViewSnapshot): void {
    const cameraChanged = v.center !== null && (v.center[0] !== this.center?.[0] || v.center[1] !== this.center?.[1] || v.zoom !== this.zoom);
    this.mode = v.mode;
    this.center = v.center;
    this.zoom = v.zoom;
    this.level = v.level;
    this.indicator = v.indicator;
    this.indicatorChosen = v.indicatorChosen;
    this.indicatorCategory = v.indicatorCategory;
    this.method = v.method;
    this.layers = v.layers;
    this.needsDone = v.needsDone;
    this.categories = v.categories;
    this.q = v.q;
    this.offerFilters = v.offerFilters;
    this.selection = v.selection;
    this.tab = v.tab;
    this.plan = v.plan;
    this.dash = v.dash;
    if (cameraChanged) this.cameraRequest++;
  }

  snapshot(): ViewSnapshot {
    return {
      mode: this.mode, center: this.center, zoom: this.zoom, level: this.level, indicator: this.indicator,
      indicatorChosen: this.indicatorChosen, indicatorCategory: this.indicatorCategory, method: this.method, layers: [...this.layers],
      needsDone: this.needsDone, categories: this.categories ? [...this.categories] : null, q: this.q,
      offerFilters: $state.snapshot(this.offerFilters),
      selection: this.selection, tab: this.tab, plan: this.plan, dash: { ...this.dash },
    };
  }

  /** The hash for the current state; reading it inside an effect tracks every field. */
  get hash(): string {
    return serializeView(this.snapshot());
  }

  /** The user picks an indicator: from now on it is in the URL and no longer chosen automatically. */
  chooseIndicator(indicator: Indicator): void {
    this.indicator = indicator;
    this.indicatorChosen = true;
  }

  layerOn(key: LayerKey): boolean {
    return this.layers.includes(key);
  }

  /** Whether a map layer is drawn: planning shows its own layer instead of the map's. */
  shows(key: LayerKey): boolean {
    return this.mode === 'map' && this.layerOn(key);
  }

  setLayer(key: LayerKey, on: boolean): void {
    this.layers = on ? [...new Set([...this.layers, key])] : this.layers.filter((l) => l !== key);
  }

  select(kind: Selection['kind'], id: string | number): void {
    this.selection = { kind, id: String(id) };
  }

  isSelected(kind: Selection['kind'], id: string | number): boolean {
    return this.selection?.kind === kind && this.selection.id === String(id);
  }
}
