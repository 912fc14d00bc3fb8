import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Role } from '@ilk/core';
import { ROLES } from '@ilk/core';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login, type Session } from '../../helpers/auth.ts';
import { offerFeature } from '../../fixtures/offers.ts';

type Who = Role | 'anonymous';
interface Case {
  /** Builds a valid request; may prepare data as admin first (a fresh record per call). */
  request: (ctx: Ctx) => Promise<InjectOptions>;
  allowed: readonly Who[];
  ok: number;
}
interface Ctx {
  admin: (o: InjectOptions) => Promise<{ statusCode: number; json: () => any; headers: Record<string, unknown> }>;
  point: [number, number];
  verband: string;
  gemeinde: string;
}

const ALL: Who[] = ['anonymous', ...ROLES];
const READERS: Who[] = ['admin', 'coordinator', 'ministry', 'analyst'];
const EDITORS: Who[] = ['admin', 'coordinator'];
const SIGNED_IN: Who[] = [...ROLES];

async function freshOffer(ctx: Ctx) {
  const res = await ctx.admin({ method: 'POST', url: '/api/offers', payload: offerFeature(...ctx.point) });
  return { id: res.json().id as number, etag: res.headers.etag as string };
}
async function freshNeed(ctx: Ctx) {
  const res = await ctx.admin({ method: 'POST', url: '/api/needs', payload: { region_level: 'gemeinde', region_ars: ctx.gemeinde, kind: 'information', title: 'Matrix' } });
  return { id: res.json().id as number, etag: res.headers.etag as string };
}
const needBody = (ctx: Ctx) => ({ region_level: 'gemeinde', region_ars: ctx.gemeinde, kind: 'information', title: 'Matrix', status: 'in_bearbeitung' });

// Every route of the API, every role: what each may do. A route missing here fails the test.
const MATRIX: Record<string, Case> = {
  'GET /api/health': { request: async () => ({ url: '/api/health' }), allowed: ALL, ok: 200 },
  'GET /api/meta': { request: async () => ({ url: '/api/meta' }), allowed: SIGNED_IN, ok: 200 },
  'POST /api/auth/login': { request: async () => ({ method: 'POST', url: '/api/auth/login', payload: { email: 'analyst@demo.local', password: 'demo' } }), allowed: ALL, ok: 200 },
  'POST /api/auth/logout': { request: async () => ({ method: 'POST', url: '/api/auth/logout' }), allowed: SIGNED_IN, ok: 204 },
  'GET /api/auth/me': { request: async () => ({ url: '/api/auth/me' }), allowed: SIGNED_IN, ok: 200 },
  'POST /api/auth/tokens': { request: async () => ({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'm' } }), allowed: READERS, ok: 201 },
  'GET /api/auth/tokens': { request: async () => ({ url: '/api/auth/tokens' }), allowed: READERS, ok: 200 },
  'DELETE /api/auth/tokens/:id': { request: async () => ({ method: 'DELETE', url: '/api/auth/tokens/999999' }), allowed: READERS, ok: 404 },
  'GET /api/regions': { request: async () => ({ url: '/api/regions?level=verband' }), allowed: READERS, ok: 200 },
  'GET /api/regions/:ars/capacity': { request: async (c) => ({ url: `/api/regions/${c.verband}/capacity` }), allowed: READERS, ok: 200 },
  'POST /api/regions/:ars/capacity': {
    request: async (c) => ({ method: 'POST', url: `/api/regions/${c.verband}/capacity`, payload: { report_date: '2026-11-01', housing_free: 3, housing_free_barrier_free: 1, shared_accommodation_places: 0, kita_free: 1, school_free: 2, language_course_free: 4, gp_accepting: 1, refugees_housed: 10, intake_ytd: 4 } }),
    allowed: EDITORS, ok: 201,
  },
  'GET /api/offers': { request: async () => ({ url: '/api/offers?category=sprache' }), allowed: READERS, ok: 200 },
  'GET /api/offers/counts': { request: async () => ({ url: '/api/offers/counts' }), allowed: READERS, ok: 200 },
  'GET /api/offers/:id': { request: async (c) => ({ url: `/api/offers/${(await freshOffer(c)).id}` }), allowed: READERS, ok: 200 },
  'POST /api/offers': { request: async (c) => ({ method: 'POST', url: '/api/offers', payload: offerFeature(...c.point) }), allowed: EDITORS, ok: 201 },
  'PUT /api/offers/:id': {
    request: async (c) => { const o = await freshOffer(c); return { method: 'PUT', url: `/api/offers/${o.id}`, headers: { 'if-match': o.etag }, payload: offerFeature(...c.point, { name: 'geändert' }) }; },
    allowed: EDITORS, ok: 200,
  },
  'PATCH /api/offers/:id': {
    request: async (c) => { const o = await freshOffer(c); return { method: 'PATCH', url: `/api/offers/${o.id}`, headers: { 'if-match': o.etag, 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ properties: { name: 'gepatcht' } }) }; },
    allowed: EDITORS, ok: 200,
  },
  'DELETE /api/offers/:id': {
    request: async (c) => { const o = await freshOffer(c); return { method: 'DELETE', url: `/api/offers/${o.id}`, headers: { 'if-match': o.etag } }; },
    allowed: EDITORS, ok: 204,
  },
  'GET /api/needs': { request: async () => ({ url: '/api/needs?status=neu' }), allowed: READERS, ok: 200 },
  'GET /api/needs/:id': { request: async (c) => ({ url: `/api/needs/${(await freshNeed(c)).id}` }), allowed: READERS, ok: 200 },
  'POST /api/needs': { request: async (c) => ({ method: 'POST', url: '/api/needs', payload: needBody(c) }), allowed: EDITORS, ok: 201 },
  'PUT /api/needs/:id': {
    request: async (c) => { const n = await freshNeed(c); return { method: 'PUT', url: `/api/needs/${n.id}`, headers: { 'if-match': n.etag }, payload: needBody(c) }; },
    allowed: EDITORS, ok: 200,
  },
  'PATCH /api/needs/:id': {
    request: async (c) => { const n = await freshNeed(c); return { method: 'PATCH', url: `/api/needs/${n.id}`, headers: { 'if-match': n.etag, 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ properties: { status: 'in_bearbeitung' } }) }; },
    allowed: EDITORS, ok: 200,
  },
  'DELETE /api/needs/:id': {
    request: async (c) => { const n = await freshNeed(c); return { method: 'DELETE', url: `/api/needs/${n.id}`, headers: { 'if-match': n.etag } }; },
    allowed: EDITORS, ok: 204,
  },
  'GET /api/dashboard': { request: async () => ({ url: '/api/dashboard?level=verband' }), allowed: READERS, ok: 200 },
  'GET /api/dashboard/report': { request: async () => ({ url: '/api/dashboard/report' }), allowed: READERS, ok: 200 },
  'GET /api/audit': { request: async () => ({ url: '/api/audit?limit=5' }), allowed: ['admin'], ok: 200 },
  'GET /api/audit.csv': { request: async () => ({ url: '/api/audit.csv?action=login' }), allowed: ['admin'], ok: 200 },
  // Partners pass the role check; the service lets them read their own needs' history only.
  'GET /api/history/:entity/:id': { request: async (c) => ({ url: `/api/history/offer/${(await freshOffer(c)).id}` }), allowed: READERS, ok: 200 },
  ...userCases(),
  ...capacityCases(),
  ...allocationCases(),
  ...coverageCases(),
  'POST /api/offers/import': {
    request: async (c) => ({ method: 'POST', url: '/api/offers/import?dry_run=true', payload: { type: 'FeatureCollection', features: [offerFeature(...c.point)] } }),
    allowed: EDITORS, ok: 200,
  },
  'GET /api/export/offers.geojson': { request: async () => ({ url: '/api/export/offers.geojson?category=sprache' }), allowed: READERS, ok: 200 },
  'GET /api/export/offers.csv': { request: async () => ({ url: '/api/export/offers.csv?category=sprache' }), allowed: READERS, ok: 200 },
  'GET /api/export/needs.geojson': { request: async () => ({ url: '/api/export/needs.geojson' }), allowed: READERS, ok: 200 },
  'GET /api/export/needs.csv': { request: async () => ({ url: '/api/export/needs.csv' }), allowed: READERS, ok: 200 },
  'GET /api/export/regions.geojson': { request: async () => ({ url: '/api/export/regions.geojson?level=verband' }), allowed: READERS, ok: 200 },
  'GET /api/export/regions.csv': { request: async () => ({ url: '/api/export/regions.csv?level=verband' }), allowed: READERS, ok: 200 },
  'GET /ogc': { request: async () => ({ url: '/ogc' }), allowed: READERS, ok: 200 },
  'GET /ogc/conformance': { request: async () => ({ url: '/ogc/conformance' }), allowed: READERS, ok: 200 },
  'GET /ogc/collections': { request: async () => ({ url: '/ogc/collections' }), allowed: READERS, ok: 200 },
  ...ogcCollectionCases(),
  'GET /tiles/offers/:z/:x/:y.pbf': { request: async () => ({ url: '/tiles/offers/0/0/0.pbf' }), allowed: READERS, ok: 200 },
  'GET /tiles/regions/:z/:x/:y.pbf': { request: async () => ({ url: '/tiles/regions/0/0/0.pbf' }), allowed: READERS, ok: 200 },
};

// Capacities in bulk: the batch reads the unit's current version first, so each call is valid.
function capacityCases(): Record<string, Case> {
  const kreis = (c: Ctx) => `${c.verband.slice(0, 5)}0000000`;
  const counts = { housing_free: 2, housing_free_barrier_free: 0, shared_accommodation_places: 0, kita_free: 1, school_free: 1, language_course_free: 1, gp_accepting: 1, refugees_housed: 3, intake_ytd: 1 };
  return {
    'GET /api/capacity/units': { request: async (c) => ({ url: `/api/capacity/units?kreis=${kreis(c)}` }), allowed: READERS, ok: 200 },
    'POST /api/capacity/batch': {
      request: async (c) => {
        const { units } = (await c.admin({ url: `/api/capacity/units?kreis=${kreis(c)}` })).json() as { units: { ars: string; version: number }[] };
        const version = units.find((u) => u.ars === c.verband)!.version;
        return { method: 'POST', url: '/api/capacity/batch', payload: { reports: [{ ars: c.verband, version, report_date: '2026-11-02', ...counts }] } };
      },
      allowed: EDITORS, ok: 200,
    },
    'POST /api/capacity/import': {
      request: async (c) => ({
        method: 'POST', url: '/api/capacity/import?dry_run=true', headers: { 'content-type': 'text/csv' },
        payload: `ars;report_date;${Object.keys(counts).join(';')}\n${c.verband};2026-11-03;${Object.values(counts).join(';')}\n`,
      }),
      allowed: EDITORS, ok: 200,
    },
  };
}

// Accounts: admins only; each call works on a fresh analyst account, never on a demo login.
function userCases(): Record<string, Case> {
  let seq = 0;
  const freshUser = async (c: Ctx) => {
    const res = await c.admin({ method: 'POST', url: '/api/users', payload: { email: `matrix${++seq}-${Date.now()}@kreis.example`, role: 'analyst', password: 'Matrix-Kennwort-1' } });
    return { id: res.json().id as number, etag: res.headers.etag as string };
  };
  return {
    'GET /api/users': { request: async () => ({ url: '/api/users' }), allowed: ['admin'], ok: 200 },
    'GET /api/users/:id': { request: async (c) => ({ url: `/api/users/${(await freshUser(c)).id}` }), allowed: ['admin'], ok: 200 },
    'POST /api/users': {
      request: async () => ({ method: 'POST', url: '/api/users', payload: { email: `matrix-new${++seq}-${Date.now()}@kreis.example`, role: 'analyst', password: 'Matrix-Kennwort-1' } }),
      allowed: ['admin'], ok: 201,
    },
    'PATCH /api/users/:id': {
      request: async (c) => { const u = await freshUser(c); return { method: 'PATCH', url: `/api/users/${u.id}`, headers: { 'if-match': u.etag }, payload: { display_name: 'Matrix' } }; },
      allowed: ['admin'], ok: 200,
    },
    'POST /api/users/:id/password': {
      request: async (c) => ({ method: 'POST', url: `/api/users/${(await freshUser(c)).id}/password`, payload: { password: 'Matrix-Kennwort-2' } }),
      allowed: ['admin'], ok: 200,
    },
  };
}

// The OGC API has the same three routes per collection; a feature id that exists in each.
function ogcCollectionCases(): Record<string, Case> {
  const featureId: Record<string, (c: Ctx) => Promise<string | number>> = {
    offers: async (c) => (await freshOffer(c)).id,
    'regions-kreis': async (c) => `${c.verband.slice(0, 5)}0000000`,
    'regions-verband': async (c) => c.verband,
    'regions-gemeinde': async (c) => c.gemeinde,
    needs: async (c) => (await freshNeed(c)).id,
  };
  return Object.fromEntries(Object.entries(featureId).flatMap(([id, feature]): [string, Case][] => [
    [`GET /ogc/collections/${id}`, { request: async () => ({ url: `/ogc/collections/${id}` }), allowed: READERS, ok: 200 }],
    [`GET /ogc/collections/${id}/items`, { request: async () => ({ url: `/ogc/collections/${id}/items?limit=2` }), allowed: READERS, ok: 200 }],
    [`GET /ogc/collections/${id}/items/:featureId`, { request: async (c) => ({ url: `/ogc/collections/${id}/items/${await feature(c)}` }), allowed: READERS, ok: 200 }],
    // The region collections describe their flat columns as a JSON Schema (rel=describedBy).
    ...(id.startsWith('regions-')
      ? [[`GET /ogc/collections/${id}/schema`, { request: async () => ({ url: `/ogc/collections/${id}/schema` }), allowed: READERS, ok: 200 }] as [string, Case]]
      : []),
  ]));
}

// Allocation planning: plans are made fresh per call by admin, from a suggestion of the engine.
function allocationCases(): Record<string, Case> {
  const request = (c: Ctx) => ({ kreis: `${c.verband.slice(0, 5)}0000000`, mode: 'aggregate', n: 5, weights: {} });
  const freshPlan = async (c: Ctx) => {
    const { result } = (await c.admin({ method: 'POST', url: '/api/allocations/suggest', payload: request(c) })).json();
    const res = await c.admin({ method: 'POST', url: '/api/allocations/plans', payload: { name: 'Matrix', request: request(c), result } });
    return { id: res.json().id as number, etag: res.headers.etag as string, result };
  };
  const read = (path: string): Case => ({ request: async (c) => ({ url: `/api/allocations/plans/${(await freshPlan(c)).id}${path}` }), allowed: READERS, ok: 200 });
  return {
    'POST /api/allocations/suggest': { request: async (c) => ({ method: 'POST', url: '/api/allocations/suggest', payload: request(c) }), allowed: READERS, ok: 200 },
    'POST /api/allocations/plans': {
      request: async (c) => ({ method: 'POST', url: '/api/allocations/plans', payload: { name: 'Matrix', request: request(c), result: (await freshPlan(c)).result } }),
      allowed: EDITORS, ok: 201,
    },
    'GET /api/allocations/plans': { request: async () => ({ url: '/api/allocations/plans?status=draft' }), allowed: READERS, ok: 200 },
    'GET /api/allocations/plans/:id': read(''),
    'GET /api/allocations/plans/:id/compare/:other': { request: async (c) => ({ url: `/api/allocations/plans/${(await freshPlan(c)).id}/compare/${(await freshPlan(c)).id}` }), allowed: READERS, ok: 200 },
    'GET /api/allocations/plans/:id/export.csv': read('/export.csv'),
    'GET /api/allocations/plans/:id/export.geojson': read('/export.geojson'),
    'GET /api/allocations/plans/:id/sheet': read('/sheet'),
    'POST /api/allocations/plans/:id/decide': {
      request: async (c) => { const p = await freshPlan(c); return { method: 'POST', url: `/api/allocations/plans/${p.id}/decide`, headers: { 'if-match': p.etag }, payload: { justification: 'Beschluss laut Protokoll.' } }; },
      allowed: EDITORS, ok: 200,
    },
    'DELETE /api/allocations/plans/:id': {
      request: async (c) => { const p = await freshPlan(c); return { method: 'DELETE', url: `/api/allocations/plans/${p.id}`, headers: { 'if-match': p.etag } }; },
      allowed: EDITORS, ok: 204,
    },
  };
}

// Coverage, partner reports, the needs inbox, networks and the provider directory. A partner
// reaches only its own two routes; a need's history only when it reported the need.
function coverageCases(): Record<string, Case> {
  let n = 0;
  const network = (c: Ctx) => ({ name: `Matrix-Netz ${++n} ${Math.random().toString(36).slice(2)}`, category: 'sprache', region_ars: `${c.verband.slice(0, 5)}0000000`, region_level: 'kreis' });
  const freshNetwork = async (c: Ctx) => {
    const res = await c.admin({ method: 'POST', url: '/api/networks', payload: network(c) });
    return { id: res.json().id as number, etag: res.headers.etag as string };
  };
  // A provider with offers in the demo district, read afresh (its ETag changes with every write).
  const someProvider = async (c: Ctx) => {
    const list = (await c.admin({ url: '/api/providers?category=sprache' })).json().providers as { id: number; offers: number }[];
    const res = await c.admin({ url: `/api/providers/${list.find((p) => p.offers > 0)!.id}` });
    return { id: res.json().id as number, name: res.json().name as string, etag: res.headers.etag as string };
  };
  const partnerNeed = (c: Ctx) => ({ region_level: 'gemeinde', region_ars: c.gemeinde, kind: 'angebotsluecke', category: 'sprache', title: 'Matrix' });
  return {
    'GET /api/coverage': { request: async () => ({ url: '/api/coverage?category=sprache&level=verband' }), allowed: READERS, ok: 200 },
    'GET /api/coverage/white-spots': { request: async () => ({ url: '/api/coverage/white-spots?category=einbuergerung' }), allowed: READERS, ok: 200 },
    'GET /api/coverage/white-spots.csv': { request: async () => ({ url: '/api/coverage/white-spots.csv?category=einbuergerung' }), allowed: READERS, ok: 200 },
    'POST /api/partner/needs': { request: async (c) => ({ method: 'POST', url: '/api/partner/needs', payload: partnerNeed(c) }), allowed: ['partner'], ok: 201 },
    'GET /api/partner/regions': { request: async () => ({ url: '/api/partner/regions' }), allowed: ['partner'], ok: 200 },
    'GET /api/partner/regions/shapes': { request: async () => ({ url: '/api/partner/regions/shapes' }), allowed: ['partner'], ok: 200 },
    'GET /api/completeness': { request: async () => ({ url: '/api/completeness' }), allowed: READERS, ok: 200 },
    'GET /api/partner/needs': { request: async () => ({ url: '/api/partner/needs' }), allowed: ['partner'], ok: 200 },
    'GET /api/needs/:id/events': { request: async (c) => ({ url: `/api/needs/${(await freshNeed(c)).id}/events` }), allowed: READERS, ok: 200 },
    'POST /api/needs/:id/events': { request: async (c) => ({ method: 'POST', url: `/api/needs/${(await freshNeed(c)).id}/events`, payload: { kind: 'comment', text: 'Matrix' } }), allowed: EDITORS, ok: 201 },
    'GET /api/networks': { request: async () => ({ url: '/api/networks?category=sprache' }), allowed: READERS, ok: 200 },
    'GET /api/networks/:id': { request: async (c) => ({ url: `/api/networks/${(await freshNetwork(c)).id}` }), allowed: READERS, ok: 200 },
    'POST /api/networks': { request: async (c) => ({ method: 'POST', url: '/api/networks', payload: network(c) }), allowed: EDITORS, ok: 201 },
    'PUT /api/networks/:id': {
      request: async (c) => { const w = await freshNetwork(c); return { method: 'PUT', url: `/api/networks/${w.id}`, headers: { 'if-match': w.etag }, payload: network(c) }; },
      allowed: EDITORS, ok: 200,
    },
    'DELETE /api/networks/:id': {
      request: async (c) => { const w = await freshNetwork(c); return { method: 'DELETE', url: `/api/networks/${w.id}`, headers: { 'if-match': w.etag } }; },
      allowed: EDITORS, ok: 204,
    },
    'GET /api/providers': { request: async () => ({ url: '/api/providers?category=sprache' }), allowed: READERS, ok: 200 },
    'GET /api/providers.csv': { request: async () => ({ url: '/api/providers.csv?category=sprache' }), allowed: READERS, ok: 200 },
    'GET /api/providers/:id': { request: async (c) => ({ url: `/api/providers/${(await someProvider(c)).id}` }), allowed: READERS, ok: 200 },
    'PUT /api/providers/:id': {
      request: async (c) => { const p = await someProvider(c); return { method: 'PUT', url: `/api/providers/${p.id}`, headers: { 'if-match': p.etag }, payload: { name: p.name, city: `Matrix ${++n}` } }; },
      allowed: EDITORS, ok: 200,
    },
    'PATCH /api/providers/:id': {
      request: async (c) => { const p = await someProvider(c); return { method: 'PATCH', url: `/api/providers/${p.id}`, headers: { 'if-match': p.etag, 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ city: `Matrix ${++n}` }) }; },
      allowed: EDITORS, ok: 200,
    },
  };
}

for (const kind of BACKENDS) {
  describe(`role matrix on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let ctx: Ctx;
    const sessions = new Map<Role, Session>();
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      for (const role of ROLES) sessions.set(role, await login(app, role));
      const { rows } = await t.db.query<{ lon: number; lat: number; gemeinde: string; verband: string }>(`
        SELECT ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat, g.ars AS gemeinde, v.ars AS verband
          FROM regions g JOIN regions v ON v.id = g.parent_id WHERE g.level = 'gemeinde' AND g.population > 0 ORDER BY g.ars LIMIT 1`);
      const r = rows[0]!;
      ctx = { admin: as(app, sessions.get('admin')!) as Ctx['admin'], point: [r.lon, r.lat], verband: r.verband, gemeinde: r.gemeinde };
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('covers every API route', () => {
      const routes = app.routeList.filter((r) => /^\/(api|ogc|tiles)(\/|$)/.test(r.url)).map((r) => `${r.method} ${r.url}`);
      expect(routes.filter((r) => !(r in MATRIX))).toEqual([]);
    });

    for (const [route, c] of Object.entries(MATRIX)) {
      it(route, async () => {
        for (const who of ALL) {
          const opts = await c.request(ctx);
          // Login and logout end the session they are sent with: give them a session of their own.
          const ownSession = route.endsWith('/login') || route.endsWith('/logout');
          const session = who === 'anonymous' ? null : ownSession ? await login(app, who) : sessions.get(who)!;
          const res = await (session ? as(app, session)(opts) : app.inject(opts));
          const expected = c.allowed.includes(who) ? c.ok : who === 'anonymous' ? 401 : 403;
          expect({ who, status: res.statusCode }, res.body).toEqual({ who, status: expected });
          if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        }
      });
    }
  });
}
