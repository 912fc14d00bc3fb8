import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.ts';

// No container engine runs here; Debian's docker-compose validates the file (see TOOLCHAIN-NOTES).
describe('docker-compose.yml', () => {
  it('is accepted by docker-compose config', () => {
    const out = execFileSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config'], { encoding: 'utf8' });
    expect(out).toMatch(/postgis\/postgis/);
    expect(out).toMatch(/condition: service_healthy/);
    expect(out).toMatch(/DATABASE_URL: postgres:\/\/ilk:.*@db:5432\/integrationslandkarte/);
    // Several app replicas behind the reverse proxy, which alone publishes the port.
    expect(out).toMatch(/replicas: 3/);
    expect(out).toMatch(/nginx/);
    expect(out).toMatch(/published: 3000|3000:80/);
  });

  it('is rejected when broken, so the test above can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ilk-compose-'));
    const broken = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8').replace('condition: service_healthy', 'condition: when_it_feels_like_it');
    writeFileSync(join(dir, 'docker-compose.yml'), broken);
    try {
      const r = spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config', '-q']);
      expect(r.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
