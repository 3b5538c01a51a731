import { describe, expect, it } from 'vitest';
import { MessageStamps } from './message-stamps.ts';

describe('MessageStamps', () => {
  it('never gives two messages the same (received ms, sequence), however many arrive in one read', () => {
    // The sequence once wrapped every 1,000 messages while a 256 KiB read of small
    // messages shared one arrival time, so dead letters overwrote each other.
    const stamps = new MessageStamps(42);
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const at = stamps.receivedAt(1_000_000);
      const key = `${at}/${stamps.sequence()}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    // 5,000 in one ms fill five ms; the next moves on to a sixth, the sequence within the process's thousand.
    expect(stamps.receivedAt(1_000_000)).toBe(1_000_005);
    expect(stamps.sequence()).toBeLessThan(43_000);
    // A later arrival starts again at its own ms.
    expect(stamps.receivedAt(2_000_000)).toBe(2_000_000);
    expect(stamps.sequence()).toBe(42_000);
  });
});
