import { describe, expect, it } from 'vitest';
import { serverTimingDuration } from '../../server/src/services/server-timing.ts';

describe('serverTimingDuration', () => {
  it('reads the named metric of a Server-Timing header', () => {
    expect(serverTimingDuration('db;dur=3.125', 'db')).toBe(3.125);
    expect(serverTimingDuration('cache;desc="hit", db;desc="tile";dur=0.5, app;dur=9', 'db')).toBe(0.5);
    expect(serverTimingDuration('app;dur=9, db;dur=2', 'app')).toBe(9);
  });

  it('is null without the metric or its duration', () => {
    expect(serverTimingDuration(undefined, 'db')).toBeNull();
    expect(serverTimingDuration('', 'db')).toBeNull();
    expect(serverTimingDuration('dbx;dur=1', 'db')).toBeNull();
    expect(serverTimingDuration('db;desc="no time"', 'db')).toBeNull();
  });
});
