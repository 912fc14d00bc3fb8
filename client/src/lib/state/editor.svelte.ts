import { ApiError } from '../api/client.ts';
import { createOffer, getOffer, updateOffer, type OfferFeature } from '../api/offers.ts';
import { changedFields, draftFromFeature, emptyDraft, fieldOfPointer, inputFromDraft, type DraftField, type OfferDraft } from './offer-draft.ts';

export type Conflict =
  /** Someone saved the offer since this form opened: show both versions. */
  | { kind: 'stale'; server: OfferFeature; etag: string }
  /** Someone deleted it: the input can still be saved as a new offer. */
  | { kind: 'gone' };

/**
 * The offer being added or edited. The draft survives selection changes and an expired session;
 * it is dropped only by saving or by an explicit cancel (confirmed when it holds changes).
 */
export class OfferEditor {
  mode = $state<'idle' | 'placing' | 'form'>('idle');
  offerId = $state<number | null>(null);
  etag = $state<string | null>(null);
  draft = $state<OfferDraft>(emptyDraft());
  errors = $state<Partial<Record<DraftField, string>>>({});
  otherErrors = $state<string[]>([]);
  saving = $state(false);
  conflict = $state<Conflict | null>(null);
  #initial = $state('');
  /** The draft as opened: what the user's own changes are measured against. */
  #base: OfferDraft = emptyDraft();

  readonly dirty = $derived(this.mode === 'form' && JSON.stringify(this.draft) !== this.#initial);
  readonly active = $derived(this.mode !== 'idle');

  startAdd(): void {
    this.#open(null, null, emptyDraft());
    this.mode = 'placing';
  }

  /** Add mode: the clicked (or keyboard-chosen) point becomes the new offer's position. */
  place(lon: number, lat: number): void {
    this.draft.lon = lon;
    this.draft.lat = lat;
    this.#initial = JSON.stringify(emptyDraft());
    this.mode = 'form';
  }

  startEdit(feature: OfferFeature, etag: string): void {
    this.#open(feature.properties.id, etag, draftFromFeature(feature));
  }

  move(lon: number, lat: number): void {
    this.draft.lon = Number(lon.toFixed(6));
    this.draft.lat = Number(lat.toFixed(6));
  }

  cancel(): void {
    this.mode = 'idle';
    this.offerId = null;
    this.etag = null;
    this.conflict = null;
    this.errors = {};
    this.otherErrors = [];
  }

  /** Saves the draft; returns the saved offer, or null when errors or a conflict are shown. */
  async save(asNew = false): Promise<OfferFeature | null> {
    this.saving = true;
    this.errors = {};
    this.otherErrors = [];
    try {
      const input = inputFromDraft(this.draft);
      const res = this.offerId === null || asNew
        ? await createOffer(input)
        : await updateOffer(this.offerId, input, this.etag ?? '');
      this.cancel();
      return res.data;
    } catch (e) {
      await this.#failed(e);
      return null;
    } finally {
      this.saving = false;
    }
  }

  /** Conflict: drop the input and continue from the server's version. */
  reload(): void {
    if (this.conflict?.kind !== 'stale') return;
    this.#open(this.conflict.server.properties.id, this.conflict.etag, draftFromFeature(this.conflict.server));
  }

  /**
   * Conflict: apply the user's own changes (fields that differ from the version the form was
   * opened with) to the server's current version, and save that. Fields the user did not touch
   * keep the other person's values, so their change is not undone silently either.
   */
  async reapply(): Promise<OfferFeature | null> {
    if (this.conflict?.kind !== 'stale') return null;
    const server = draftFromFeature(this.conflict.server);
    const merged: OfferDraft = { ...server };
    for (const k of this.ownChanges()) (merged as unknown as Record<string, unknown>)[k] = this.draft[k];
    this.draft = merged;
    this.#base = server;
    this.etag = this.conflict.etag;
    this.conflict = null;
    return this.save();
  }

  /** The fields where the user's input and the server's current version differ. */
  conflictFields(): (keyof OfferDraft)[] {
    return this.conflict?.kind === 'stale' ? changedFields(this.draft, draftFromFeature(this.conflict.server)) : [];
  }

  /** The fields the user has changed since the form opened. */
  ownChanges(): (keyof OfferDraft)[] {
    return changedFields(this.#base, this.draft);
  }

  #open(id: number | null, etag: string | null, draft: OfferDraft): void {
    this.offerId = id;
    this.etag = etag;
    this.draft = draft;
    this.#base = { ...draft, target_groups: [...draft.target_groups] };
    this.#initial = JSON.stringify(draft);
    this.errors = {};
    this.otherErrors = [];
    this.conflict = null;
    this.mode = 'form';
  }

  async #failed(e: unknown): Promise<void> {
    if (!(e instanceof ApiError)) {
      this.otherErrors = [(e as Error).message];
      return;
    }
    if (e.status === 412 && this.offerId !== null) {
      const current = await getOffer(this.offerId).catch(() => null);
      this.conflict = current ? { kind: 'stale', server: current.data, etag: current.etag ?? '' } : { kind: 'gone' };
      return;
    }
    if (e.status === 404 && this.offerId !== null) {
      this.conflict = { kind: 'gone' };
      return;
    }
    const errors: Partial<Record<DraftField, string>> = {};
    const other: string[] = [];
    for (const fe of e.fieldErrors) {
      const field = fieldOfPointer(fe.field);
      if (field && !errors[field]) errors[field] = fe.message;
      else if (!field) other.push(`${fe.field}: ${fe.message}`);
    }
    this.errors = errors;
    this.otherErrors = e.fieldErrors.length ? other : [e.message];
  }
}
