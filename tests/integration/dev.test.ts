import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { openTestDatabase } from '../helpers/test-db.ts';
import { ROOT } from '../helpers/paths.ts';
import { freePort } from '../helpers/server-process.ts';

const listening = (port: number) => fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);

// The README's `npm run dev`, run as a developer runs it: Vite with hot reload in front of the API.
describe('npm run dev', () => {
  let dataDir: string;
  let dev: ChildProcess;
  let output = '';
  let apiPort: number;
  let devPort: number;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    const t = await openTestDatabase('embedded');
    await t.db.close();
    dataDir = t.dataDir!;
    apiPort = await freePort();
    devPort = await freePort();
    // Its own process group, so the test can send Ctrl-C to the whole group as a terminal does.
    dev = spawn('npm', ['run', 'dev'], {
      cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(apiPort), DEV_PORT: String(devPort), LOG_LEVEL: 'warn' },
    });
    dev.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    dev.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise((resolve) => dev.on('exit', resolve));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`http://127.0.0.1:${devPort}/api/health`).then((r) => r.ok, () => false);
      if (ok) return;
      if (dev.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`npm run dev did not come up:\n${output}`);
  }, 150_000);

  afterAll(async () => {
    try {
      if (dev?.pid) process.kill(-dev.pid, 'SIGKILL'); // whatever of the group is still there
    } catch {
      // the group has ended
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the client through Vite with hot reload, compiling the Svelte sources on request', async () => {
    const page = await (await fetch(`http://127.0.0.1:${devPort}/`)).text();
    expect(page).toContain('/@vite/client');
    const entry = /<script type="module" src="([^"]+)"/.exec(page.replace('/@vite/client', ''))?.[1];
    expect(entry).toBeDefined();
    const js = await fetch(`http://127.0.0.1:${devPort}${entry}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const app = await fetch(`http://127.0.0.1:${devPort}/src/App.svelte`);
    expect(app.status, await app.clone().text()).toBe(200);
    expect(await app.text()).toMatch(/import .*svelte/);
  });

  it('proxies the API, including login with its cookie, to the server on PORT', async () => {
    const login = await fetch(`http://127.0.0.1:${devPort}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'analyst@demo.local', password: 'demo' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const offers = await fetch(`http://127.0.0.1:${devPort}/api/offers?category=sprache`, { headers: { cookie } });
    expect(offers.status).toBe(200);
    expect(offers.headers.get('content-type')).toMatch(/application\/geo\+json/);
    expect(((await offers.json()) as { features: unknown[] }).features.length).toBeGreaterThan(0);
    const direct = await fetch(`http://127.0.0.1:${apiPort}/api/health`);
    expect(direct.status).toBe(200);
    const ogc = await fetch(`http://127.0.0.1:${devPort}/ogc/conformance`, { headers: { cookie } });
    expect(ogc.status).toBe(200);
  });

  it('stops both servers on Ctrl-C', async () => {
    process.kill(-dev.pid!, 'SIGINT');
    await exited; // npm itself ends by the signal, as in a terminal
    // Nothing of the group is left behind: not the API's watcher, not Vite.
    const deadline = Date.now() + 10_000;
    let alive = true;
    while (alive && Date.now() < deadline) {
      try {
        process.kill(-dev.pid!, 0);
        await new Promise((r) => setTimeout(r, 200));
      } catch {
        alive = false;
      }
    }
    expect(alive, output).toBe(false);
    expect(await listening(devPort)).toBe(false);
    expect(await listening(apiPort)).toBe(false);
  }, 30_000);
});
