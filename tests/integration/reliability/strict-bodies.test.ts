import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { AjvCompiler } from '@fastify/ajv-compiler';
import { ProblemType, type Role } from '@ilk/core';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

// Every route with a JSON body schema, found in the app's own OpenAPI document, gets each field
// of a valid example replaced by a value of the wrong JSON type: null, a boolean, a string for a
// number, a number for a string, an array for a scalar, an object for an array. A JSON body is
// never coerced ("5" is no integer, null is no 0, [54.3] is no number): each must come back as a
// 400 problem+json naming that field, and write nothing.

const KREIS = '010990000000';
const GEMEINDE = '010990011011';
const DATE = '2026-03-01';
const WEIGHTS = { housing_free: 1, kita_free: 1, school_free: 0.5, language_course_free: 0.5, health_care: 0.5, labour_market: 0.5, load: 1, open_needs: 0.5 };
const AGGREGATE = { mode: 'aggregate', kreis: KREIS, period: 2026, n: 40, weights: WEIGHTS, max_deviation: { unit: 'percent', value: 10 }, shared_accommodation_credit: 0.5, unknown_capacity: 'none', bounds: { [GEMEINDE]: { min: 1, max: 9 } }, excluded: [GEMEINDE] };
const HOUSEHOLDS = {
  mode: 'households', kreis: KREIS, period: 2026, weights: { ...WEIGHTS, language_match: 0.5 }, max_deviation: { unit: 'persons', value: 5 }, shared_accommodation_credit: 1, unknown_capacity: 'unlimited', time_limit: 5,
  households: [{ size: 4, children_0_2: 1, children_3_5: 1, children_6_17: 0, languages: ['uk'], needs_barrier_free: false, needs_medical: true }],
};
const CSV_HOUSEHOLDS = { mode: 'households', kreis: KREIS, weights: {}, csv: 'Personen;Sprachen\n2;uk\n' };
const CAPACITY = { report_date: DATE, housing_free: 3, housing_free_barrier_free: 1, shared_accommodation_places: 4, kita_free: 2, school_free: 5, language_course_free: 6, gp_accepting: 1, refugees_housed: 40, intake_ytd: 12, note: 'Stand März' };
const OFFER = {
  type: 'Feature', geometry: { type: 'Point', coordinates: [9.8, 54.3] },
  properties: {
    category: 'sprache', subcategory: 'integrationskurs', provider_id: 1, external_id: 'ext-1', name: 'Deutschkurs', description: 'Abends', street: 'Hauptstr. 1', postcode: '24534', city: 'Neumünster',
    email: 'kurs@example.org', phone: '+49 4321 123', website: 'https://example.org', contact_person: 'Frau Muster', languages: ['de', 'uk'], places_total: 20, places_free: 4, barrier_free: true,
    target_groups: ['erwachsene'], opening_hours: 'Mo-Fr 18-20', valid_from: DATE, valid_to: '2026-12-31', last_verified: DATE,
  },
};
const NEED = { region_ars: KREIS, region_level: 'kreis', category: 'sprache', kind: 'angebotsluecke', title: 'Kein Abendkurs', description: 'Es fehlt ein Kurs', priority: 'hoch', status: 'neu', reported_by: 'Beratungsstelle' };
const NETWORK = { name: 'Netzwerk Sprache', description: 'Kurse abstimmen', category: 'sprache', region_ars: KREIS, region_level: 'kreis', contact_name: 'A. B.', contact_email: 'netz@example.org', contact_phone: '04321 1', members: [{ provider_id: 1, role: 'Träger' }] };

/**
 * Valid bodies per route ("METHOD /openapi/path"). Together a route's examples must use every
 * field its schema declares: a new route or field without an example fails the test below.
 */
const EXAMPLES: Record<string, unknown[]> = {
  'POST /api/auth/login': [{ email: 'coordinator@demo.local', password: 'demo' }],
  'POST /api/auth/tokens': [{ name: 'Skript' }],
  'POST /api/regions/{ars}/capacity': [CAPACITY],
  'POST /api/offers/': [OFFER],
  'PUT /api/offers/{id}': [OFFER],
  // JSON Merge Patch: the route schema takes any object; the merged document is checked in the
  // handler, where a wrong type is refused as for PUT (see the merge-patch tests).
  'PATCH /api/offers/{id}': [{ properties: { places_total: 5, name: 'Deutschkurs' } }],
  'PATCH /api/needs/{id}': [{ priority: 'hoch' }],
  'PUT /api/providers/{id}': [{ name: 'Bildungswerk', kind: 'Verein', street: 'Hauptstr. 2', postcode: '24534', city: 'Neumünster', email: 'info@example.org', phone: '04321 2', website: 'https://example.org' }],
  'PATCH /api/providers/{id}': [{ city: 'Kiel' }],
  'POST /api/needs/': [NEED],
  'PUT /api/needs/{id}': [NEED],
  'POST /api/allocations/suggest': [AGGREGATE, HOUSEHOLDS, CSV_HOUSEHOLDS],
  'POST /api/allocations/plans': [
    { name: 'Plan März', request: AGGREGATE, result: { units: [{ key: GEMEINDE, seats: 3 }] } },
    { name: 'Plan Haushalte', request: HOUSEHOLDS, result: { units: [{ key: GEMEINDE, seats: 4 }], placements: [{ group: 0, unit_key: GEMEINDE, households: 1 }] } },
    { name: 'Plan CSV', request: CSV_HOUSEHOLDS, result: { units: [] } },
  ],
  'POST /api/allocations/plans/{id}/decide': [{ justification: 'Beschluss des Kreistags vom 3. März' }],
  'POST /api/partner/needs': [{ region_ars: KREIS, region_level: 'kreis', category: 'arbeit', kind: 'information', title: 'Infoabend', description: 'Bitte', priority: 'mittel' }],
  'POST /api/needs/{id}/events': [{ kind: 'status_change', status: 'in_bearbeitung', assigned_to: 2, text: 'übernommen' }],
  'POST /api/networks/': [NETWORK],
  'PUT /api/networks/{id}': [NETWORK],
  'POST /api/users/': [{ email: 'neu@example.org', display_name: 'Neu', role: 'coordinator', districts: [KREIS], organisation: 'Kreis', password: 'geheim-und-lang' }],
  'PATCH /api/users/{id}': [{ display_name: 'Neu', role: 'analyst', districts: [KREIS], organisation: 'Kreis', active: true }],
  'POST /api/users/{id}/password': [{ password: 'geheim-und-lang' }],
  'POST /api/capacity/batch': [{ reports: [{ ars: GEMEINDE, version: 0, ...CAPACITY }] }],
};

/** Values for path parameters: any well-formed value will do, as a refused body reaches no handler. */
const PARAMS: Record<string, string> = { id: '1', ars: KREIS };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { properties?: Record<string, Schema>; items?: Schema | Schema[]; additionalProperties?: boolean | Schema; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; if?: Schema; then?: Schema; else?: Schema };
interface BodyRoute { key: string; method: string; path: string; url: string; contentType: string; schema: Schema }

// The oracle: the route's schema as JSON Schema, checked without coercion, by an ajv of its own.
const oracle = (AjvCompiler() as unknown as (e: object, o: object) => (r: { schema: object }) => (v: unknown) => boolean)(
  {}, { customOptions: { coerceTypes: false, allErrors: true, removeAdditional: false, useDefaults: false }, plugins: [] },
);

/** Every field pointer a schema declares; `*` stands for an array index or a free object key. */
function declared(schema: Schema | undefined, at = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const out: string[] = [];
  for (const [k, s] of Object.entries(schema.properties ?? {})) out.push(`${at}/${k}`, ...declared(s, `${at}/${k}`));
  for (const s of [schema.items].flat()) out.push(...declared(s, `${at}/*`));
  if (typeof schema.additionalProperties === 'object') out.push(...declared(schema.additionalProperties, `${at}/*`));
  for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? []), schema.then, schema.else]) out.push(...declared(s, at));
  return out;
}

/** Every member of a JSON value, with its pointer (the root excluded). */
function members(value: Json, at = ''): [string, Json][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string, Json][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[`${at}/${k}`, v] as [string, Json], ...members(v, `${at}/${k}`)]);
}

const covers = (pattern: string, pointer: string) => {
  const [p, q] = [pattern.split('/'), pointer.split('/')];
  return p.length === q.length && p.every((s, i) => s === '*' || s === q[i]);
};

/** The wrong JSON types for a value, labelled for the test's messages. */
function wrongTypes(v: Json): [string, Json][] {
  const out: [string, Json][] = [['null', null]];
  if (typeof v === 'boolean') out.push(['string for boolean', String(v)], ['number for boolean', v ? 1 : 0]);
  else out.push(['boolean', true]);
  if (typeof v === 'number') out.push(['string for number', String(v)]);
  if (typeof v === 'string') out.push(['number for string', /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : 1]);
  if (v === null || typeof v !== 'object') out.push(['array for scalar', [v]]);
  else if (Array.isArray(v)) out.push(['object for array', {}], ['string for array', v.join(',')]);
  else out.push(['array for object', [v]], ['string for object', 'x']);
  return out;
}

function replaced(body: Json, pointer: string, value: Json): Json {
  const copy = structuredClone(body) as Record<string, Json>;
  const path = pointer.split('/').slice(1);
  let node = copy as Record<string, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, Json>;
  node[path.at(-1)!] = value;
  return copy;
}

/** The routes with a JSON body, as the OpenAPI document (and so the contract) lists them. */
function bodyRoutes(app: FastifyInstance): BodyRoute[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) =>
      Object.entries(op.requestBody?.content ?? {})
        .filter(([type]) => /json/.test(type))
        .map(([contentType, { schema }]) => ({
          key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, contentType, schema,
          url: path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? `{${name}}`),
        })),
    ),
  );
}

// What a refused request must leave as it was: every table's row count and newest row version
// (xmin changes with each insert or update). Sessions are left out: each request touches last_seen_at.
async function fingerprint(t: TestDatabase): Promise<string> {
  const { rows: tables } = await t.db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'sessions' ORDER BY 1");
  const parts = tables.map((r) => `SELECT '${r.name}' || ':' || count(*) || ':' || coalesce(max(xmin::text::bigint), 0) AS f FROM ${r.name}`);
  const { rows } = await t.db.query<{ f: string }>(parts.join(' UNION ALL '));
  return rows.map((r) => r.f).sort().join(' ');
}

interface Problem { type: string; status: number; detail: string; errors?: { field: string; message: string }[] }

for (const kind of BACKENDS) {
  describe(`strict JSON bodies on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    const senders = new Map<Role | 'anonymous', (o: InjectOptions) => Promise<LightMyRequestResponse>>();

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      senders.set('anonymous', (o) => app.inject(o));
      for (const role of ['admin', 'coordinator', 'analyst', 'partner'] as Role[]) senders.set(role, as(app, await login(app, role)));
    });
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    /** A role that may call the route, so the request reaches validation rather than a 403. */
    function sender(route: BodyRoute) {
      const bare = (u: string) => u.replace(/\/$/, '');
      const listed = app.routeList.find((r) => r.method === route.method && bare(r.url) === bare(route.path.replace(/\{(\w+)\}/g, ':$1')));
      if (!listed) throw new Error(`${route.key} is not in the app's route list`);
      const role = listed.public ? 'anonymous' : listed.roles.includes('admin') ? 'admin' : (listed.roles[0] as Role);
      return senders.get(role)!;
    }

    it('finds the JSON body routes, and each has examples that are valid and use every declared field', () => {
      const routes = bodyRoutes(app);
      expect(routes.length).toBeGreaterThanOrEqual(Object.keys(EXAMPLES).length);
      for (const route of routes) {
        const examples = EXAMPLES[route.key];
        expect(examples, `${route.key} has a body schema but no example in EXAMPLES`).toBeDefined();
        const validate = oracle({ schema: route.schema });
        for (const example of examples!) expect(validate(structuredClone(example)), `${route.key}: example ${JSON.stringify(example).slice(0, 200)} is not valid`).toBe(true);
        const used = examples!.flatMap((e) => members(e as Json).map(([p]) => p));
        const missing = [...new Set(declared(route.schema))].filter((field) => !used.some((p) => covers(field, p)));
        expect(missing, `${route.key}: fields without an example value`).toEqual([]);
        expect(route.url, `${route.key}: a path parameter has no value in PARAMS`).not.toMatch(/\{/);
      }
    });

    it('refuses each field of each body with each wrong JSON type as a 400 naming the field, writing nothing', async () => {
      let checked = 0;
      const failures: string[] = [];
      for (const route of bodyRoutes(app)) {
        const send = sender(route);
        const validate = oracle({ schema: route.schema });
        const before = await fingerprint(t);
        for (const example of EXAMPLES[route.key] ?? []) {
          for (const [pointer, value] of members(example as Json)) {
            for (const [label, wrong] of wrongTypes(value)) {
              const body = replaced(example as Json, pointer, wrong);
              // Where the schema allows the other type (a nullable field, a free object) the body is valid: not sent.
              if (validate(structuredClone(body))) continue;
              checked++;
              const res = await send({ method: route.method, url: route.url, headers: { 'content-type': route.contentType }, payload: JSON.stringify(body) });
              const problem = res.headers['content-type']?.toString().startsWith('application/problem+json') ? (res.json() as Problem) : undefined;
              const named = problem?.errors?.some((e) => e.field === pointer || e.field.startsWith(`${pointer}/`)) ?? false;
              if (res.statusCode !== 400 || problem?.type !== ProblemType.validation || !named) {
                failures.push(`${route.key} ${pointer} (${label}): ${res.statusCode} ${res.body.slice(0, 300)}`);
              }
            }
          }
        }
        expect(await fingerprint(t), `${route.key} wrote to the database`).toBe(before);
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(500);
    }, 600_000);

    it('refuses an import feature with string coordinates or a boolean count, naming the feature and the field', async () => {
      const before = await fingerprint(t);
      const feature = (geometry: unknown, properties: object) => ({ type: 'Feature', geometry, properties: { name: 'Kurs', category: 'sprache', ...properties } });
      const body = {
        type: 'FeatureCollection',
        features: [
          feature({ type: 'Point', coordinates: [9.8, 54.3] }, {}),
          feature({ type: 'Point', coordinates: ['9.8', '54.3'] }, {}),
          feature({ type: 'Point', coordinates: [9.8, 54.3] }, { places_total: true }),
          feature({ type: 'Point', coordinates: [9.8, 54.3] }, { places_free: null, barrier_free: 'ja' }),
        ],
      };
      const res = await senders.get('coordinator')!({ method: 'POST', url: '/api/offers/import?dry_run=true', headers: { 'content-type': 'application/geo+json' }, payload: JSON.stringify(body) });
      expect(res.statusCode, res.body).toBe(200);
      const rows = (res.json() as { rows: { row: number; status: string; errors?: { field: string; message: string }[] }[] }).rows;
      const errorsOf = (row: number) => rows.find((r) => r.row === row)?.errors ?? [];
      expect(errorsOf(2)).toEqual(expect.arrayContaining([{ field: '/geometry/coordinates/0', message: 'must be number' }, { field: '/geometry/coordinates/1', message: 'must be number' }]));
      expect(errorsOf(3)).toEqual(expect.arrayContaining([expect.objectContaining({ field: '/properties/places_total' })]));
      expect(errorsOf(4)).toEqual(expect.arrayContaining([expect.objectContaining({ field: '/properties/barrier_free' })]));
      expect(errorsOf(4).map((e) => e.field)).not.toContain('/properties/places_free');
      const imported = await senders.get('coordinator')!({ method: 'POST', url: '/api/offers/import', headers: { 'content-type': 'application/geo+json' }, payload: JSON.stringify(body) });
      expect(imported.statusCode).toBe(400);
      expect(imported.json().errors).toEqual(expect.arrayContaining([
        { field: 'row 2: /geometry/coordinates/0', message: 'must be number' },
        expect.objectContaining({ field: 'row 3: /properties/places_total' }),
      ]));
      expect(await fingerprint(t)).toBe(before);
    });

    it('keeps the documented coercion of query strings', async () => {
      const res = await senders.get('coordinator')!({ url: '/api/audit?limit=5&offset=0' });
      expect([200, 403]).toContain(res.statusCode);
      const admin = await senders.get('admin')!({ url: '/api/audit?limit=5&offset=0' });
      expect(admin.statusCode, admin.body).toBe(200);
      const bad = await senders.get('admin')!({ url: '/api/audit?limit=five' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    });
  });
}
