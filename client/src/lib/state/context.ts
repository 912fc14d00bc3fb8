import { getContext, setContext } from 'svelte';
import type { I18n } from '../i18n/i18n.svelte.ts';
import type { Session } from './session.svelte.ts';
import type { ViewState } from './view.svelte.ts';
import type { DataStore } from './data.svelte.ts';
import type { OfferEditor } from './editor.svelte.ts';
import type { Notices } from './notices.svelte.ts';
import type { MapContext } from '../map/map-context.svelte.ts';
import type { Choropleth } from '../map/choropleth.svelte.ts';
import type { Planning } from './planning.svelte.ts';
import type { PlanStore } from './plans.svelte.ts';
import type { AllocationMap } from '../map/allocation-map.svelte.ts';

/** The app's shared state, created once in App.svelte and read by any component. */
export interface AppContext {
  i18n: I18n;
  session: Session;
  view: ViewState;
  data: DataStore;
  editor: OfferEditor;
  notices: Notices;
  mapCtx: MapContext;
  choropleth: Choropleth;
  /** Planning's state: loaded with the planning view (see App.svelte); read only by its components. */
  planning: Planning;
  plans: PlanStore;
  allocationMap: AllocationMap;
  /** Whether planning has been loaded, for those outside it (logout forgets its state). */
  planningLoaded: boolean;
}

const KEY = Symbol('app');

export const setAppContext = (ctx: AppContext): AppContext => setContext(KEY, ctx);
export const app = (): AppContext => getContext<AppContext>(KEY);
