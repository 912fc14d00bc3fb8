import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded database on port 3000 under ./.data', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/[/\\]\.data$/);
    expect(c.demoPassword).toBe('demo');
  });

  it('reads PORT, HOST, DATA_DIR and DATABASE_URL', () => {
    const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/tmp/x', DATABASE_URL: 'postgres://u@h/db' });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: '/tmp/x', databaseUrl: 'postgres://u@h/db' });
  });

  it('pages layers by 20,000 features on both backends unless LAYER_PAGE_SIZE says otherwise', () => {
    expect(loadConfig({}).layerPageSize).toBe(20_000);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).layerPageSize).toBe(20_000);
    expect(loadConfig({ LAYER_PAGE_SIZE: '800' }).layerPageSize).toBe(800);
    expect(() => loadConfig({ LAYER_PAGE_SIZE: '10' })).toThrow(/LAYER_PAGE_SIZE/);
  });

  it('names the variable when a value is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT must be a whole number from 0 to 65535, got "eighty"'));
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PUBLIC_OFFER_MAP: 'maybe' })).toThrow(/PUBLIC_OFFER_MAP/);
  });
});
