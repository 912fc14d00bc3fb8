import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, levelOfArs, parseView, serializeView, type ViewSnapshot } from '../../client/src/lib/state/view-url.ts';

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

  it('tells the level of a region from its ARS', () => {
    expect(levelOfArs('010990000000')).toBe('kreis');
    expect(levelOfArs('010990019000')).toBe('verband');
    expect(levelOfArs('010990019019')).toBe('gemeinde');
  });
});
