import { describe, expect, it } from 'vitest';
import { RecentFailures } from './recent-failures.ts';

describe('RecentFailures', () => {
  const minute = 60_000;

  it('stops a key at its max-th failure within the window, until the oldest leaves it', () => {
    let now = 0;
    const failures = new RecentFailures({ max: 3, windowMs: 10 * minute }, () => now);
    for (const at of [0, minute, 2 * minute]) {
      expect(failures.waitMs('a')).toBe(0);
      now = at;
      failures.record('a');
    }
    expect(failures.waitMs('a')).toBe(8 * minute);
    expect(failures.waitMs('b')).toBe(0);
    now = 10 * minute - 1;
    expect(failures.waitMs('a')).toBe(1);
    now = 10 * minute;
    expect(failures.waitMs('a')).toBe(0);
    // The failure at 1 minute is still within the window: one more stops the key again, until 11 minutes.
    failures.record('a');
    expect(failures.waitMs('a')).toBe(minute);
  });

  it('forgets keys whose failures are all older than the window', () => {
    let now = 0;
    const failures = new RecentFailures({ max: 1, windowMs: minute }, () => now);
    for (let i = 0; i < 10_001; i++) failures.record(`k${i}`);
    now = 2 * minute;
    failures.record('late');
    expect(failures.size).toBe(1);
    expect(failures.waitMs('k0')).toBe(0);
    expect(failures.waitMs('late')).toBe(minute);
  });
});
