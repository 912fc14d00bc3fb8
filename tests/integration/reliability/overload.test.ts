import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { buildTestApp } from '../../helpers/app.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Overload degrades into fast 503s, not collapse: while the event loop lags behind its limit,
// new requests are refused with problem+json and Retry-After; once it catches up they are served.
describe('overload guard', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await openTestDatabase('embedded');
    app = await buildTestApp(t.db, { MAX_EVENT_LOOP_DELAY_MS: '100' });
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('answers 503 while the event loop lags, and recovers', async () => {
    expect((await app.inject('/api/health')).statusCode).toBe(200);
    // Keep the loop busy for 2.5 s in 300 ms stretches, as sustained overload would. The guard
    // averages the loop's delay over each 1 s sampling window, so one single long block counts
    // only if it happens to start just after a sample; sustained lag fills every window.
    const until = Date.now() + 2_500;
    while (Date.now() < until) {
      const stretch = Date.now() + 300;
      while (Date.now() < stretch) { /* busy */ }
      await sleep(1);
    }
    await sleep(50);
    const during = await app.inject('/api/health');
    expect(during.statusCode).toBe(503);
    expect(during.headers['content-type']).toMatch(/problem\+json/);
    expect(during.headers['retry-after']).toBe('5');
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      await sleep(100);
      recovered = (await app.inject('/api/health')).statusCode === 200;
    }
    expect(recovered).toBe(true);
  });
});
