import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { FeatureCollection } from 'geojson';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';

for (const kind of BACKENDS) {
  describe(`needs on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let coord: ReturnType<typeof as>;
    let gemeinde: string;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      coord = as(app, await login(app, 'coordinator'));
      gemeinde = (await t.db.query<{ ars: string }>("SELECT ars FROM regions WHERE level = 'gemeinde' ORDER BY ars LIMIT 1")).rows[0]!.ars;
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('serves needs as points at their region, filtered by status and category', async () => {
      const all = (await coord({ url: '/api/needs' })).json() as FeatureCollection;
      const { rows } = await t.db.query<{ n: number; open: number }>("SELECT count(*) AS n, count(*) FILTER (WHERE status = 'neu') AS open FROM needs");
      expect(all.features).toHaveLength(rows[0]!.n);
      const neu = (await coord({ url: '/api/needs?status=neu' })).json() as FeatureCollection;
      expect(neu.features).toHaveLength(rows[0]!.open);
      for (const f of neu.features) expect(f.properties!.status).toBe('neu');
      expect((await coord({ url: '/api/needs?status=offen' })).statusCode).toBe(400);
    });

    it('moves a need through its statuses with optimistic locking', async () => {
      const created = await coord({ method: 'POST', url: '/api/needs', payload: { region_level: 'gemeinde', region_ars: gemeinde, category: 'sprache', kind: 'angebotsluecke', title: 'Kein Sprachkurs am Abend', priority: 'hoch' } });
      expect(created.statusCode).toBe(201);
      const need = created.json();
      expect(need.properties).toMatchObject({ status: 'neu', priority: 'hoch', region_key: gemeinde, version: 1 });
      const body = { region_level: 'gemeinde', region_ars: gemeinde, category: 'sprache', kind: 'angebotsluecke', title: 'Kein Sprachkurs am Abend', priority: 'hoch', status: 'in_bearbeitung' };
      const put = await coord({ method: 'PUT', url: `/api/needs/${need.id}`, headers: { 'if-match': created.headers.etag as string }, payload: body });
      expect(put.statusCode).toBe(200);
      expect(put.json().properties.status).toBe('in_bearbeitung');
      const stale = await coord({ method: 'PUT', url: `/api/needs/${need.id}`, headers: { 'if-match': created.headers.etag as string }, payload: { ...body, status: 'erledigt' } });
      expect(stale.statusCode).toBe(412);
      expect((await coord({ url: `/api/needs/${need.id}` })).json().properties.status).toBe('in_bearbeitung');
    });

    it('names an unknown region as a bad field', async () => {
      const res = await coord({ method: 'POST', url: '/api/needs', payload: { region_level: 'gemeinde', region_ars: '010999999999', kind: 'information', title: 'x' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('/region_ars');
    });
  });
}
