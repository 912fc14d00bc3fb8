import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseCsv, unguardCell } from '@ilk/core/csv';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, login } from '../../helpers/auth.ts';
import { seedDemoNetworks } from '../../../server/src/seed/demo-networks.ts';

const KREIS = '010990000000';
const INJECTION = '=HYPERLINK("https://example.com/x","Klick")';

for (const kind of BACKENDS) {
  describe(`networks and the provider directory on ${kind}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let coord: ReturnType<typeof as>;
    let analyst: ReturnType<typeof as>;
    let providerIds: number[];
    const ids = (list: { id: number }[]) => list.map((p) => p.id);
    const directory = async (query: string) => {
      const res = await analyst({ url: `/api/providers?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().providers as { id: number; name: string; categories: string[]; offers: number; networks: { name: string }[] }[];
    };
    const expectIds = async (sql: string, params: unknown[] = []) =>
      (await t.db.query<{ id: number }>(`SELECT p.id FROM providers p WHERE ${sql} ORDER BY p.name, p.id`, params)).rows.map((r) => r.id);
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      app = await buildTestApp(t.db);
      coord = as(app, await login(app, 'coordinator'));
      analyst = as(app, await login(app, 'analyst'));
      providerIds = (await t.db.query<{ id: number }>('SELECT id FROM providers ORDER BY id LIMIT 3')).rows.map((r) => r.id);
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('seeds the demo networks once, with providers of their topic', async () => {
      // The demo seed has created them already; seeding again adds nothing.
      expect(await seedDemoNetworks(t.db)).toBe(0);
      const { networks } = (await analyst({ url: '/api/networks' })).json();
      expect(networks.map((n: { name: string }) => n.name)).toEqual(['Netzwerk Arbeit und Ausbildung', 'Netzwerk Sprache Nord', 'Runder Tisch Gesundheit Demo-Förde']);
      const sprache = networks.find((n: { name: string }) => n.name === 'Netzwerk Sprache Nord');
      expect(sprache).toMatchObject({ category: 'sprache', region_key: KREIS, contact_email: 'netzwerk-sprache@example.org' });
      expect(sprache.members.length).toBeGreaterThan(0);
      for (const m of sprache.members) expect((await directory(`network=${sprache.id}&category=sprache`)).map((p) => p.id)).toContain(m.provider_id);
      expect((await analyst({ url: '/api/networks?category=gesundheit' })).json().networks).toHaveLength(1);
    });

    it('creates, reads, replaces and deletes a network with versions; 428 and 412 like offers', async () => {
      const body = { name: 'Netzwerk Wohnen Süd', category: 'wohnen', region_ars: KREIS, region_level: 'kreis', contact_name: 'Kim Beispiel', contact_email: 'wohnen@example.org', members: [{ provider_id: providerIds[0]!, role: 'Sprecher' }, { provider_id: providerIds[1]! }] };
      const created = await coord({ method: 'POST', url: '/api/networks', payload: body });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as number;
      expect(created.headers.etag).toBe(`"network-${id}-v1"`);
      expect(created.json().members.map((m: { provider_id: number; role: string | null }) => [m.provider_id, m.role]).sort()).toEqual([[providerIds[0], 'Sprecher'], [providerIds[1], null]].sort());
      const read = await analyst({ url: `/api/networks/${id}` });
      expect(read.headers.etag).toBe(created.headers.etag);
      expect(read.json()).toEqual(created.json());

      const changed = { ...body, description: 'Wohnraum für Geflüchtete', members: [{ provider_id: providerIds[2]!, role: 'Koordination' }] };
      expect((await coord({ method: 'PUT', url: `/api/networks/${id}`, payload: changed })).statusCode).toBe(428);
      const put = await coord({ method: 'PUT', url: `/api/networks/${id}`, headers: { 'if-match': created.headers.etag as string }, payload: changed });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({ version: 2, description: 'Wohnraum für Geflüchtete', members: [{ provider_id: providerIds[2], role: 'Koordination' }] });
      expect((await coord({ method: 'PUT', url: `/api/networks/${id}`, headers: { 'if-match': created.headers.etag as string }, payload: body })).statusCode).toBe(412);
      expect((await coord({ method: 'DELETE', url: `/api/networks/${id}`, headers: { 'if-match': created.headers.etag as string } })).statusCode).toBe(412);
      expect((await coord({ method: 'DELETE', url: `/api/networks/${id}`, headers: { 'if-match': put.headers.etag as string } })).statusCode).toBe(204);
      expect((await analyst({ url: `/api/networks/${id}` })).statusCode).toBe(404);
      const { rows } = await t.db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity = 'network' AND entity_id = $1 ORDER BY id", [String(id)]);
      expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'delete']);
    });

    it('names bad regions and members, refuses a second network of the same name and other districts', async () => {
      const base = { name: 'Netzwerk Test', region_ars: KREIS, region_level: 'kreis' };
      const fields = async (payload: object) => (await coord({ method: 'POST', url: '/api/networks', payload })).json().errors.map((e: { field: string }) => e.field);
      expect(await fields({ ...base, region_level: 'verband' })).toEqual(['/region_ars']);
      expect(await fields({ ...base, members: [{ provider_id: providerIds[0] }, { provider_id: providerIds[0] }] })).toEqual(['/members/1/provider_id']);
      expect(await fields({ ...base, members: [{ provider_id: 999999 }] })).toEqual(['/members/0/provider_id']);
      expect(await fields({ ...base, contact_email: 'kein-mail' })).toEqual(['/contact_email']);
      expect((await coord({ method: 'POST', url: '/api/networks', payload: { ...base, name: 'Netzwerk Sprache Nord' } })).statusCode).toBe(409);
      expect((await coord({ method: 'POST', url: '/api/networks', payload: { ...base, region_ars: '010530000000' } })).statusCode).toBe(403);
    });

    it('filters the provider directory by network, by the category and region of one offer, and by text', async () => {
      const network = (await analyst({ url: '/api/networks?category=sprache' })).json().networks[0];
      expect(ids(await directory(`network=${network.id}`))).toEqual(await expectIds('EXISTS (SELECT 1 FROM network_members m WHERE m.provider_id = p.id AND m.network_id = $1)', [network.id]));
      const health = await directory('category=gesundheit');
      expect(ids(health)).toEqual(await expectIds("EXISTS (SELECT 1 FROM offers o WHERE o.provider_id = p.id AND o.category_key = 'gesundheit')"));
      for (const p of health) expect(p.categories).toContain('gesundheit');
      const verband = (await t.db.query<{ ars: string }>(`
        SELECT v.ars FROM regions v JOIN regions g ON g.parent_id = v.id JOIN offers o ON o.region_id = g.id
         WHERE v.level = 'verband' GROUP BY v.ars ORDER BY count(DISTINCT o.provider_id) DESC, v.ars LIMIT 1`)).rows[0]!.ars;
      const inRegion = `EXISTS (SELECT 1 FROM offers o JOIN regions g ON g.id = o.region_id WHERE o.provider_id = p.id AND g.ars LIKE $1 %s)`;
      expect(ids(await directory(`region=${verband}`))).toEqual(await expectIds(inRegion.replace('%s', ''), [`${verband.slice(0, 9)}%`]));
      const both = await directory(`region=${verband}&category=sprache`);
      expect(ids(both)).toEqual(await expectIds(inRegion.replace('%s', "AND o.category_key = 'sprache'"), [`${verband.slice(0, 9)}%`]));
      const word = health[0]!.name.split(' ')[0]!.toUpperCase();
      expect(ids(await directory(`q=${encodeURIComponent(word)}`))).toEqual(await expectIds('p.name ILIKE $1 OR p.city ILIKE $1', [`%${word}%`]));
      expect(await directory('q=%25')).toEqual([]);
      expect((await analyst({ url: '/api/providers?region=019999999999' })).statusCode).toBe(404);
    });

    it('downloads the directory as CSV with BOM and semicolons, formulas defused', async () => {
      await t.db.query("INSERT INTO providers (name, city, email) VALUES ($1, '+49 Hafenstadt', '@admin@example.org')", [INJECTION]);
      const res = await analyst({ url: '/api/providers.csv?q=HYPERLINK' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="providers-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(res.body.startsWith('\uFEFFid;name;kind;street;postcode;city;email;phone;website;categories;offers;networks\r\n')).toBe(true);
      const table = parseCsv(res.body);
      expect(table.delimiter).toBe(';');
      expect(table.records).toHaveLength(1);
      const [name, city, email] = [1, 5, 6].map((i) => table.records[0]!.cells[i]!);
      expect([name, city, email]).toEqual([`'${INJECTION}`, "'+49 Hafenstadt", "'@admin@example.org"]);
      expect(unguardCell(name!)).toBe(INJECTION);
      const all = parseCsv((await analyst({ url: '/api/providers.csv?category=sprache' })).body);
      expect(all.records.map((r) => Number(r.cells[0])).sort((a, b) => a - b)).toEqual(ids(await directory('category=sprache')).sort((a, b) => a - b));
    });
  });
}
