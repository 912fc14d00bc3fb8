import { describe, expect, it } from 'vitest';
import { PrincipalCache } from '../../server/src/services/principal-cache.ts';

interface P {
  user_id: number;
  role: string;
}

/** A cache on a clock the test moves, and a loader that counts its database round trips. */
function setup(ttlMs = 5_000, max = 10_000) {
  let now = 1_000_000;
  const cache = new PrincipalCache<P>(ttlMs, max, () => now);
  const db = new Map<string, P>([['a', { user_id: 1, role: 'analyst' }], ['b', { user_id: 1, role: 'analyst' }], ['c', { user_id: 2, role: 'admin' }]]);
  let loads = 0;
  const get = (key: string, expiresAt?: number) => cache.get(key, async () => {
    loads++;
    const value = db.get(key);
    return value && { value: { ...value }, expiresAt };
  });
  return { cache, db, get, loads: () => loads, tick: (ms: number) => (now += ms), now: () => now };
}

describe('principal cache', () => {
  it('answers from memory within the TTL and asks again after it', async () => {
    const s = setup();
    await s.get('a');
    await s.get('a');
    expect(s.loads()).toBe(1);
    s.tick(4_999);
    await s.get('a');
    expect(s.loads()).toBe(1);
    s.tick(1);
    await s.get('a');
    expect(s.loads()).toBe(2);
  });

  it('keeps no entry beyond the expiry the loader states (a session ending within the TTL)', async () => {
    const s = setup();
    await s.get('a', s.now() + 1_000);
    s.tick(1_000);
    s.db.delete('a');
    expect(await s.get('a')).toBeUndefined();
  });

  it('does not keep misses: a session created after a failed lookup works at once', async () => {
    const s = setup();
    s.db.delete('a');
    expect(await s.get('a')).toBeUndefined();
    s.db.set('a', { user_id: 1, role: 'analyst' });
    expect(await s.get('a')).toEqual({ user_id: 1, role: 'analyst' });
    expect(s.cache.size).toBe(1);
  });

  it('forgets one key, and every key of a user, at once', async () => {
    const s = setup();
    await Promise.all([s.get('a'), s.get('b'), s.get('c')]);
    s.db.delete('a');
    s.cache.forget('a');
    expect(await s.get('a')).toBeUndefined();
    s.db.set('b', { user_id: 1, role: 'coordinator' });
    s.cache.forgetUser(1);
    expect(await s.get('b')).toEqual({ user_id: 1, role: 'coordinator' });
    expect(s.loads()).toBe(5);
    await s.get('c');
    expect(s.loads()).toBe(5);
  });

  it('does not keep a lookup that overlapped a forget: it may have read the state before the change', async () => {
    const cache = new PrincipalCache<P>(5_000, 10, () => 0);
    let release!: () => void;
    const slow = cache.get('a', () => new Promise((resolve) => (release = () => resolve({ value: { user_id: 1, role: 'analyst' } }))));
    cache.forgetUser(1);
    release();
    expect(await slow).toEqual({ user_id: 1, role: 'analyst' });
    let loads = 0;
    await cache.get('a', async () => (loads++, undefined));
    expect(loads).toBe(1);
  });

  it('asks the database every time with a TTL of 0', async () => {
    const s = setup(0);
    await s.get('a');
    await s.get('a');
    expect(s.loads()).toBe(2);
    expect(s.cache.size).toBe(0);
  });

  it('holds at most maxEntries, dropping expired entries first and then the oldest', async () => {
    const s = setup(5_000, 2);
    await s.get('a', s.now() + 10);
    await s.get('b');
    s.tick(10);
    await s.get('c');
    expect(s.cache.size).toBe(2);
    await s.get('b');
    expect(s.loads()).toBe(3);
    s.db.set('d', { user_id: 3, role: 'analyst' });
    await s.get('d');
    expect(s.cache.size).toBe(2);
    await s.get('c');
    expect(s.loads()).toBe(4);
    await s.get('b');
    expect(s.loads()).toBe(5);
  });

  it('answers nothing from memory while suspended, keeps nothing then, and starts empty on resume', async () => {
    const s = setup();
    await s.get('a');
    s.cache.suspend();
    expect([s.cache.active, s.cache.size]).toEqual([false, 0]);
    await s.get('a');
    await s.get('a');
    expect(s.loads()).toBe(3);
    expect(s.cache.size).toBe(0);
    s.cache.resume();
    expect(s.cache.active).toBe(true);
    await s.get('a');
    await s.get('a');
    expect(s.loads()).toBe(4);
  });

  it('does not keep a lookup that overlapped a suspension', async () => {
    const s = setup();
    let release!: () => void;
    const slow = s.cache.get('a', async () => {
      await new Promise<void>((r) => (release = r));
      return { value: { user_id: 1, role: 'analyst' } };
    });
    s.cache.suspend();
    s.cache.resume();
    release();
    expect(await slow).toEqual({ user_id: 1, role: 'analyst' });
    expect(s.cache.size).toBe(0);
  });
});
