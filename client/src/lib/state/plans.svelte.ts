import { ApiError, isAbort } from '../api/client.ts';
import {
  comparePlans, decidePlan, deletePlan, getPlan, listPlans, type Plan, type PlanComparison, type PlanStatus, type PlanSummary,
} from '../api/allocations.ts';

/**
 * Why a decision or deletion did not happen. `decided`: someone decided the plan meanwhile;
 * `superseded`: another plan of the same Kreis and period was decided after this one was
 * computed (its legal key lacks that intake); `stale`: the plan changed since it was loaded.
 */
export type WriteOutcome = { ok: true } | { ok: false; kind: 'decided' | 'superseded' | 'stale' | 'gone' | 'error'; message: string };

/** Saved plans of the Kreis: the list, the plan opened in the plans tab, and a comparison. */
export class PlanStore {
  list = $state.raw<PlanSummary[]>([]);
  total = $state(0);
  status = $state<PlanStatus | ''>('');
  listError = $state<string | null>(null);
  opened = $state.raw<{ plan: Plan; etag: string } | null>(null);
  openError = $state<string | null>(null);
  comparison = $state.raw<PlanComparison | null>(null);
  compareError = $state<string | null>(null);
  busy = $state(false);

  #list: AbortController | null = null;
  #open: AbortController | null = null;
  #compare: AbortController | null = null;

  async load(kreis: string): Promise<void> {
    const signal = next(this.#list, (c) => (this.#list = c));
    try {
      const res = await listPlans({ kreis, ...(this.status ? { status: this.status } : {}) }, signal);
      this.list = res.plans;
      this.total = res.total;
      this.listError = null;
    } catch (e) {
      if (!isAbort(e)) this.listError = (e as Error).message;
    }
  }

  async open(id: number | null): Promise<void> {
    const signal = next(this.#open, (c) => (this.#open = c));
    if (id === null) {
      this.opened = null;
      return;
    }
    try {
      const res = await getPlan(id, signal);
      this.opened = { plan: res.data, etag: res.etag ?? '' };
      this.openError = null;
    } catch (e) {
      if (isAbort(e)) return;
      this.opened = null;
      this.openError = (e as Error).message;
    }
  }

  async compare(pair: [number, number] | null): Promise<void> {
    const signal = next(this.#compare, (c) => (this.#compare = c));
    if (!pair) {
      this.comparison = null;
      return;
    }
    try {
      this.comparison = await comparePlans(pair[0], pair[1], signal);
      this.compareError = null;
    } catch (e) {
      if (isAbort(e)) return;
      this.comparison = null;
      this.compareError = (e as Error).message;
    }
  }

  reset(): void {
    for (const ctrl of [this.#list, this.#open, this.#compare]) ctrl?.abort();
    this.list = [];
    this.total = 0;
    this.status = '';
    this.opened = null;
    this.comparison = null;
    this.listError = this.openError = this.compareError = null;
  }

  /** Decides the opened draft with If-Match; the intake is then credited by the server. */
  async decide(justification: string): Promise<WriteOutcome> {
    return this.#write(async (id, etag) => {
      const res = await decidePlan(id, etag, justification);
      this.opened = { plan: res.data, etag: res.etag ?? '' };
    });
  }

  async remove(): Promise<WriteOutcome> {
    return this.#write(async (id, etag) => {
      await deletePlan(id, etag);
      this.opened = null;
    });
  }

  async #write(job: (id: number, etag: string) => Promise<void>): Promise<WriteOutcome> {
    const current = this.opened;
    if (!current) return { ok: false, kind: 'gone', message: '' };
    const { id, kreis } = current.plan;
    this.busy = true;
    try {
      await job(id, current.etag);
      return { ok: true };
    } catch (e) {
      return await this.#failed(e, id);
    } finally {
      this.busy = false;
      await this.load(kreis);
    }
  }

  /** After a refused write the plan is read again, so the view shows what is now true. */
  async #failed(e: unknown, id: number): Promise<WriteOutcome> {
    const message = (e as Error).message;
    if (!(e instanceof ApiError)) return { ok: false, kind: 'error', message };
    if (![404, 409, 412].includes(e.status)) return { ok: false, kind: 'error', message };
    await this.open(id);
    if (e.status === 404 || !this.opened) return { ok: false, kind: 'gone', message };
    if (e.status === 412) return { ok: false, kind: 'stale', message };
    return { ok: false, kind: this.opened.plan.status === 'decided' ? 'decided' : 'superseded', message };
  }
}

/** Aborts the previous request of a kind and hands out the signal of the next one. */
function next(previous: AbortController | null, set: (c: AbortController) => void): AbortSignal {
  previous?.abort();
  const ctrl = new AbortController();
  set(ctrl);
  return ctrl.signal;
}
