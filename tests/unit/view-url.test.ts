import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, levelOfArs, parseView, serializeView, type ViewSnapshot } from '../../client/src/lib/state/view-url.ts';
import { DEFAULT_OFFER_FILTERS, offerFilterQuery, type OfferFilters } from '../../client/src/lib/state/offer-filter-url.ts';

describe('the view in the URL hash', () => {
  it('writes nothing for the default view', () => {
    expect(serializeView(DEFAULT_VIEW)).toBe('');
    expect(parseView('')).toEqual(DEFAULT_VIEW);
  });

  it('restores every field it writes', () => {
    const view: ViewSnapshot = {
      ...DEFAULT_VIEW,
      mode: 'plan',
      center: [10.02776, 54.27439], zoom: 11.5, level: 'gemeinde', indicator: 'offers_per_10k', indicatorChosen: true, indicatorCategory: 'sprache',
      method: 'jenks', layers: ['offers'], needsDone: true, categories: ['sprache', 'arbeit'], q: 'Kita & Schule',
      offerFilters: { minFree: 3, languages: ['ar', 'uk'], subcategory: 'integrationskurs', targetGroups: ['kinder', 'frauen'], barrierFree: 'unknown' },
      selection: { kind: 'region', id: '010990019019' }, tab: null,
    };
    const hash = serializeView(view);
    expect(hash).toContain('map=11.5/54.27439/10.02776');
    expect(hash).toContain('sel=region:010990019019');
    expect(parseView(`#${hash}`)).toEqual(view);
  });

  it('keeps "no category" apart from "all categories"', () => {
    expect(parseView(serializeView({ ...DEFAULT_VIEW, categories: [] })).categories).toEqual([]);
    expect(parseView(serializeView({ ...DEFAULT_VIEW, categories: null })).categories).toBeNull();
  });

  it('ignores values it does not know instead of failing', () => {
    const v = parseView('#map=99/1/2&level=land&ind=x&sel=offer:abc&cat=SPRACHE,ok_key&tab=nope');
    expect(v).toMatchObject({ center: null, zoom: null, level: 'verband', indicator: DEFAULT_VIEW.indicator, selection: null, categories: ['ok_key'], tab: 'regions' });
  });

  it('writes each offer filter as its own short parameter, and reads back each alone', () => {
    const cases: [Partial<OfferFilters>, string][] = [
      [{ minFree: 1 }, 'free=1'], [{ minFree: 12 }, 'free=12'], [{ languages: ['ar', 'fa'] }, 'lang=ar,fa'],
      [{ subcategory: 'mbe' }, 'sub=mbe'], [{ targetGroups: ['familien'] }, 'tg=familien'],
      [{ barrierFree: 'true' }, 'bf=true'], [{ barrierFree: 'false' }, 'bf=false'], [{ barrierFree: 'unknown' }, 'bf=unknown'],
    ];
    for (const [patch, hash] of cases) {
      const view = { ...DEFAULT_VIEW, offerFilters: { ...DEFAULT_OFFER_FILTERS, ...patch } };
      expect(serializeView(view)).toBe(hash);
      expect(parseView(`#${hash}`)).toEqual(view);
    }
  });

  it('drops offer filter values it does not know', () => {
    const v = parseView('#free=0&lang=xx,ar,AR,ar&sub=Bad-Key&tg=kinder,senioren&bf=maybe');
    expect(v.offerFilters).toEqual({ minFree: null, languages: ['ar'], subcategory: null, targetGroups: ['kinder'], barrierFree: null });
    expect(parseView('#free=2.5').offerFilters.minFree).toBeNull();
    expect(parseView('#free=-3').offerFilters.minFree).toBeNull();
  });

  it('turns the offer filters into the API query parameters', () => {
    expect(offerFilterQuery(DEFAULT_OFFER_FILTERS)).toEqual({ min_free_places: undefined, language: undefined, subcategory: undefined, target_group: undefined, barrier_free: undefined });
    expect(offerFilterQuery({ minFree: 2, languages: ['ar', 'uk'], subcategory: 'mbe', targetGroups: ['kinder'], barrierFree: 'unknown' }))
      .toEqual({ min_free_places: '2', language: 'ar,uk', subcategory: 'mbe', target_group: 'kinder', barrier_free: 'unknown' });
  });

  it('tells the level of a region from its ARS', () => {
    expect(levelOfArs('010990000000')).toBe('kreis');
    expect(levelOfArs('010990019000')).toBe('verband');
    expect(levelOfArs('010990019019')).toBe('gemeinde');
  });
});
