// Allocation planning as one module that App.svelte loads when the planning view is first opened:
// the engine, its state and its components stay out of the map's initial download.
import type { DataStore } from './state/data.svelte.ts';
import type { ViewState } from './state/view.svelte.ts';
import { Planning } from './state/planning.svelte.ts';
import { PlanStore } from './state/plans.svelte.ts';
import { AllocationMap } from './map/allocation-map.svelte.ts';
import PlanningPanel from './components/PlanningPanel.svelte';
import PlanningDrawer from './components/PlanningDrawer.svelte';
import PlanningData from './components/PlanningData.svelte';
import PlanningLayer from './map/PlanningLayer.svelte';
import PlanningLegend from './map/PlanningLegend.svelte';

export const components = { PlanningPanel, PlanningDrawer, PlanningData, PlanningLayer, PlanningLegend };

export function createPlanning(data: DataStore, view: ViewState) {
  const planning = new Planning(data, view);
  const plans = new PlanStore();
  return { planning, plans, allocationMap: new AllocationMap(view, planning, plans), components };
}

export type PlanningKit = ReturnType<typeof createPlanning>;
