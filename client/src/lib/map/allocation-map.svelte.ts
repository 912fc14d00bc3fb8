import type { Planning } from '../state/planning.svelte.ts';
import type { PlanStore } from '../state/plans.svelte.ts';
import type { ViewState } from '../state/view.svelte.ts';
import { classify, type Classification } from './classify.ts';
import { divergingClasses } from './diverging.ts';

/** A unit as the planning map and its tooltip show it. */
export interface ShownUnit {
  key: string;
  name: string;
  seats: number;
  legal_seats: number;
  deviation_persons: number;
  deviation_percent: number | null;
}

/** What the planning map shows: the live suggestion, a saved plan, or two plans' difference. */
export type MapSubject =
  | { kind: 'live'; units: ShownUnit[] | null }
  | { kind: 'households'; units: ShownUnit[] | null }
  | { kind: 'plan'; name: string; units: ShownUnit[] }
  | { kind: 'compare'; a: string; b: string; difference: Map<string, number> }
  | { kind: 'none' };

const CLASSES = 5;

/**
 * The planning choropleth: persons per unit (sequential, viridis quantiles) or the deviation
 * from the legal key and the difference of two plans (diverging, zero in the middle). Shared by
 * the layer, the legend and the tooltip, as Choropleth is for the map mode.
 */
export class AllocationMap {
  readonly subject: MapSubject;
  readonly diverging: boolean;
  readonly values: Map<string, number | null>;
  readonly classification: Classification;

  constructor(view: ViewState, planning: Planning, plans: PlanStore) {
    this.subject = $derived.by((): MapSubject => {
      const tab = view.plan.tab;
      if (tab === 'compare') {
        const c = plans.comparison;
        return c ? { kind: 'compare', a: c.plan.name, b: c.other.name, difference: new Map(c.units.map((u) => [u.key, u.difference])) } : { kind: 'none' };
      }
      if (tab === 'plans') {
        const o = plans.opened;
        return o ? { kind: 'plan', name: o.plan.name, units: o.plan.result.units } : { kind: 'none' };
      }
      if (view.plan.kind === 'households') {
        return { kind: 'households', units: planning.solutionCurrent ? planning.solution!.result.units : null };
      }
      const r = planning.live?.result;
      return { kind: 'live', units: r?.ok ? r.units : null };
    });
    this.diverging = $derived(this.subject.kind === 'compare' || view.plan.measure === 'deviation');
    this.values = $derived.by(() => {
      const s = this.subject;
      if (s.kind === 'compare') return new Map(s.difference);
      if (s.kind === 'none' || !s.units) return new Map();
      const deviation = view.plan.measure === 'deviation';
      return new Map(s.units.map((u) => [u.key, deviation ? u.deviation_persons : u.seats]));
    });
    this.classification = $derived.by(() => {
      const values = [...this.values.values()];
      return this.diverging ? divergingClasses(values) : classify(values, 'quantile', CLASSES);
    });
  }

  /** The unit's record in what is shown (not for a comparison). */
  unit(key: string): ShownUnit | undefined {
    const s = this.subject;
    return s.kind === 'live' || s.kind === 'households' || s.kind === 'plan' ? s.units?.find((u) => u.key === key) : undefined;
  }
}
