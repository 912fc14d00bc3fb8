// The Ministry's views at Land level over the real app (in-process, app.inject as the ministry):
// what the dashboard, the white-spot map, the report and the map ask for with all of
// Schleswig-Holstein imported. Part of the coverage section, on its database.
import type { Database } from '../../server/src/db/index.ts';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { addUser } from '../../server/src/seed/accounts.ts';
import { median, ms, row } from './harness.ts';

const CATEGORIES = ['sprache', 'arbeit', 'wohnen', 'betreuung_bildung', 'gesundheit', 'beratung', 'einbuergerung', 'ehrenamt_freizeit'];

// What the dashboard loads at Land level: the Kreise and the Land, and coverage per Kreis for
// every category (the report prints all of them; each table's total is the Land's figure).
const DASHBOARD_PAGE = [
  '/api/dashboard?level=kreis', '/api/dashboard?level=land',
  ...CATEGORIES.map((c) => `/api/coverage?category=${c}&level=kreis&thresholds=10`),
];

const SINGLE: [string, string][] = [
  ['dashboard, the 15 Kreise', '/api/dashboard?level=kreis'],
  ['dashboard, the Land', '/api/dashboard?level=land'],
  ['coverage per Kreis, one category', '/api/coverage?category=sprache&level=kreis&thresholds=10'],
  ['coverage of the Land, one category', '/api/coverage?category=sprache&level=land&thresholds=10'],
  ['coverage per Verband (GeoJSON), one category', '/api/coverage?category=sprache&level=verband&thresholds=5,10,20'],
  ['white spots of the Land (GeoJSON), 10 km', '/api/coverage/white-spots?category=sprache&threshold_km=10'],
  ['regions layer, 15 Kreise', '/api/regions?level=kreis'],
  ['regions layer, 172 Verbände', '/api/regions?level=verband'],
  ['regions layer, 1,108 Gemeinden', '/api/regions?level=gemeinde'],
];

export async function benchLandViews(db: Database, kind: string): Promise<void> {
  await addUser(db, { email: 'ministry@bench.local', password: 'bench-password', role: 'ministry' }, false);
  const app = await buildApp({ db, config: loadConfig({ NODE_ENV: 'test', MAX_EVENT_LOOP_DELAY_MS: '0' }), logger: false });
  try {
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ministry@bench.local', password: 'bench-password' } });
    const cookie = login.cookies.find((c) => c.name === 'ilk_session')!;
    const get = async (url: string) => {
      // No If-None-Match: every request computes its answer.
      const res = await app.inject({ url, cookies: { ilk_session: cookie.value } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      return res;
    };
    for (const [label, url] of SINGLE) {
      const size = (await get(url)).rawPayload.length;
      row(`${kind}: ${label}`, ms(await median(3, () => get(url))), `${(size / 1024).toFixed(0)} KiB`);
    }
    // The browser sends the page's requests at once; PostgreSQL answers them side by side,
    // the embedded database (one connection) one after the other.
    row(`${kind}: dashboard at Land level, its ${DASHBOARD_PAGE.length} requests at once`, ms(await median(3, () => Promise.all(DASHBOARD_PAGE.map(get)))));
  } finally {
    await app.close();
  }
}
