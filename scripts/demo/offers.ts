import type { Position } from 'geojson';
import { addressIn, dramaPhone, shortSlug } from './contact.ts';
import { addDays, randomDate } from './dates.ts';
import { CATALOGUE, type OfferSpec, type Variant } from './offer-catalogue.ts';
import { distance } from './plane.ts';
import { placeIn } from './placement.ts';
import type { Provider } from './providers.ts';
import type { Random } from './random.ts';
import type { District, Gemeinde } from './regions.ts';

export interface OfferProperties {
  readonly external_id: string;
  readonly category: string;
  readonly subcategory: string;
  readonly provider_external_id: string;
  readonly name: string;
  readonly description: string;
  readonly street: string;
  readonly postcode: string;
  readonly city: string;
  readonly email: string;
  readonly phone: string;
  readonly website: string;
  readonly languages: string[];
  readonly places_total: number | null;
  readonly places_free: number | null;
  readonly barrier_free: boolean;
  readonly target_groups: string[];
  readonly opening_hours: string;
  readonly valid_from: string | null;
  readonly valid_to: string | null;
  readonly last_verified: string;
}

export interface Offer {
  readonly properties: OfferProperties;
  readonly position: Position;
  readonly gemeinde: Gemeinde;
}

/** Besides German, in order of how often local offers provide them (ISO 639-1). */
const LANGUAGES: readonly (readonly [string, number])[] = [
  ['en', 0.6], ['uk', 0.5], ['ar', 0.5], ['ru', 0.35], ['fa', 0.3], ['tr', 0.3], ['ku', 0.15], ['ti', 0.08], ['so', 0.06],
];

/** Offer phone numbers start after the providers' in the drama block (see contact.ts). */
const FIRST_OFFER_PHONE = 100;

function chooseProvider(spec: OfferSpec, gemeinde: Gemeinde, providers: readonly Provider[], rng: Random): Provider {
  const candidates = providers.filter(
    (p) => spec.providers.includes(p.role) && (p.role !== 'kommune' || p.verband === gemeinde.verband),
  );
  if (candidates.length === 0) throw new Error(`no provider for ${spec.subcategory} in ${gemeinde.name}`);
  // Nearby providers are much likelier: a village Kita is run by its own Amt, not the next one.
  const weights = candidates.map((p) => 1 / (1 + distance(p.seat.centre, gemeinde.centre) / 4) ** 2);
  return rng.weighted(candidates, weights);
}

function places(range: readonly [number, number] | null, rng: Random): [number | null, number | null] {
  if (!range) return [null, null];
  const total = rng.int(range[0], range[1]);
  return [total, rng.chance(0.3) ? 0 : rng.int(0, Math.ceil(total * 0.25))];
}

function validity(spec: OfferSpec, rng: Random): [string | null, string | null] {
  if (spec.course) {
    const from = randomDate(rng, '2026-01-05', '2026-11-30');
    return [from, addDays(from, rng.int(120, 270))];
  }
  return rng.chance(0.25) ? [randomDate(rng, '2023-01-01', '2026-10-01'), null] : [null, null];
}

interface Site {
  readonly gemeinde: Gemeinde;
  readonly variant: Variant;
  readonly provider: Provider;
  readonly name: string;
}

/** Where the next offer goes and who runs it; names stay unique, so no village has two "Grundschule". */
function pickSite(spec: OfferSpec, district: District, providers: readonly Provider[], used: Set<string>, rng: Random): Site {
  const eligible = district.gemeinden.filter((g) => g.population >= spec.minPopulation);
  const weights = eligible.map((g) => g.population ** spec.concentration);
  for (let attempt = 0; attempt < 200; attempt++) {
    const gemeinde = rng.weighted(eligible, weights);
    const variant = rng.pick(spec.variants.filter((v) => gemeinde.population >= (v.minPopulation ?? 0)));
    const provider = chooseProvider(spec, gemeinde, providers, rng);
    const name = variant.name.replace('{city}', gemeinde.name).replace('{provider}', provider.record.name);
    if (!used.has(name)) {
      used.add(name);
      return { gemeinde, variant, provider, name };
    }
  }
  throw new Error(`no free site for ${spec.subcategory}`);
}

export function buildOffers(district: District, providers: readonly Provider[], rng: Random): Offer[] {
  const offers: Offer[] = [];
  const used = new Set<string>();
  for (const spec of CATALOGUE) {
    for (let n = 0; n < spec.count; n++) {
      const { gemeinde, variant, provider, name } = pickSite(spec, district, providers, used, rng);
      const id = String(offers.length + 1).padStart(4, '0');
      const [placesTotal, placesFree] = places(variant.places === undefined ? spec.places : variant.places, rng);
      const [validFrom, validTo] = validity(spec, rng);
      const town = gemeinde.population >= 5_000;
      const properties: OfferProperties = {
        external_id: `demo-offer-${id}`,
        category: spec.category,
        subcategory: spec.subcategory,
        provider_external_id: provider.record.external_id,
        name,
        description: spec.description,
        ...addressIn(gemeinde, rng),
        email: `${shortSlug(`${spec.subcategory} ${gemeinde.name}`)}-${id}@example.org`,
        phone: dramaPhone(FIRST_OFFER_PHONE + offers.length),
        website: `https://example.org/demo-foerde/angebote/demo-offer-${id}`,
        languages: ['de', ...LANGUAGES.filter(([, p]) => rng.chance(p * spec.multilingual)).map(([code]) => code)],
        places_total: placesTotal,
        places_free: placesFree,
        barrier_free: rng.chance(town ? 0.75 : 0.5),
        target_groups: [...variant.groups],
        opening_hours: rng.pick(spec.hours),
        valid_from: validFrom,
        valid_to: validTo,
        last_verified: randomDate(rng, rng.chance(0.8) ? '2026-03-01' : '2025-01-15', '2026-11-20'),
      };
      offers.push({ properties, position: placeIn(gemeinde, rng.fork(`place-${id}`)), gemeinde });
    }
  }
  return offers;
}
