import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { offerFeature } from '../../fixtures/offers.ts';

const report = (n: number) => ({ report_date: '2026-11-24', housing_free: n, housing_free_barrier_free: 0, shared_accommodation_places: 0, kita_free: 0, school_free: 0, language_course_free: 0, gp_accepting: 0, refugees_housed: 0, intake_ytd: 0 });

// Writers that read the same state and write at once: exactly one wins, every other gets 412,
// and the stored state is the winner's — no update is lost silently.
for (const kind of BACKENDS) {
  describe(`racing writers on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let coord: ReturnType<typeof as>;
    let point: [number, number];
    let verband: string;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      coord = as(app, await login(app, 'coordinator'));
      const r = (await t.db.query<{ lon: number; lat: number; verband: string }>(`
        SELECT ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat, v.ars AS verband FROM regions g JOIN regions v ON v.id = g.parent_id
         WHERE g.level = 'gemeinde' AND g.population > 0 ORDER BY g.ars LIMIT 1`)).rows[0]!;
      point = [r.lon, r.lat];
      verband = r.verband;
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    for (const writers of [2, 10]) {
      it(`${writers} writers on the same offer: one 200, ${writers - 1} × 412`, async () => {
        const created = await coord({ method: 'POST', url: '/api/offers', payload: offerFeature(...point) });
        const { id } = created.json();
        const etag = created.headers.etag as string;
        const results = await Promise.all(Array.from({ length: writers }, (_, i) =>
          coord({ method: 'PUT', url: `/api/offers/${id}`, headers: { 'if-match': etag }, payload: offerFeature(...point, { name: `Writer ${i}` }) })));
        const statuses = results.map((r) => r.statusCode).sort();
        expect(statuses).toEqual([200, ...Array(writers - 1).fill(412)]);
        const winner = results.find((r) => r.statusCode === 200)!.json().properties.name;
        const stored = (await coord({ url: `/api/offers/${id}` })).json().properties;
        expect(stored).toMatchObject({ name: winner, version: 2 });
        const audit = await t.db.query<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE entity = 'offer' AND entity_id = $1 AND action = 'update'", [String(id)]);
        expect(audit.rows[0]!.n).toBe(1);
      });

      it(`${writers} writers appending to the same unit's capacity from the same state: one 201, ${writers - 1} × 412`, async () => {
        const history = await coord({ url: `/api/regions/${verband}/capacity` });
        const etag = history.headers.etag as string;
        const before = history.json().reports.length;
        const results = await Promise.all(Array.from({ length: writers }, (_, i) =>
          coord({ method: 'POST', url: `/api/regions/${verband}/capacity`, headers: { 'if-match': etag }, payload: report(100 + i) })));
        expect(results.map((r) => r.statusCode).sort()).toEqual([201, ...Array(writers - 1).fill(412)]);
        const after = (await coord({ url: `/api/regions/${verband}/capacity` })).json();
        expect(after.reports).toHaveLength(before + 1);
        expect(after.reports[0].housing_free).toBe(results.find((r) => r.statusCode === 201)!.json().housing_free);
      });
    }
  });
}
