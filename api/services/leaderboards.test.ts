// The leaderboard cache on a clock of its own: served for LEADERBOARD_CACHE_MS, then served stale
// while one recomputation runs; a failed first computation is not kept, a failed refresh keeps the
// old board, and a board forgotten while it was computed answers its caller but is not kept.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComputedLeaderboard } from './leaderboard.ts';

const computation = vi.hoisted(() => ({ runs: 0, fail: false, gate: null as Promise<void> | null }));
vi.mock('./leaderboard.ts', () => ({
  loadChallenge: async (_db: unknown, id: string) => ({ id }),
  computeChallengeLeaderboard: async (): Promise<ComputedLeaderboard> => {
    computation.runs++;
    const run = computation.runs;
    if (computation.gate) await computation.gate;
    if (computation.fail) throw new Error('the database is away');
    return { json: `board ${run}` } as ComputedLeaderboard;
  },
}));
const { LEADERBOARD_CACHE_MS, Leaderboards } = await import('./leaderboards.ts');

/** A gate the next computations wait at until it is opened. */
function closeGate(): () => void {
  let open!: () => void;
  computation.gate = new Promise((resolve) => (open = resolve));
  return () => {
    computation.gate = null;
    open();
  };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('Leaderboards', () => {
  let clock: number;
  let boards: InstanceType<typeof Leaderboards>;
  const board = async (id = 'c1') => (await boards.get(id)).json;

  beforeEach(() => {
    Object.assign(computation, { runs: 0, fail: false, gate: null });
    clock = 1_000_000;
    boards = new Leaderboards({} as never, {} as never, {} as never, () => clock);
  });

  it('computes once for readers that come together, then serves that board until it is stale', async () => {
    const [a, b] = await Promise.all([board(), board()]);
    clock += LEADERBOARD_CACHE_MS - 1;
    expect([a, b, await board()]).toStrictEqual(['board 1', 'board 1', 'board 1']);
    expect(computation.runs).toBe(1);
  });

  it('serves the stale board at once while one recomputation runs, then the new one', async () => {
    await board();
    clock += LEADERBOARD_CACHE_MS + 1;
    const open = closeGate();
    expect(await board()).toBe('board 1');
    await settle();
    expect(await board()).toBe('board 1');
    expect(computation.runs).toBe(2);
    open();
    await settle();
    expect(await board()).toBe('board 2');
  });

  it('keeps the old board when a recomputation fails, and tries again on the next read', async () => {
    await board();
    clock += LEADERBOARD_CACHE_MS + 1;
    computation.fail = true;
    expect(await board()).toBe('board 1');
    await settle();
    expect(await board()).toBe('board 1');
    await settle();
    expect(computation.runs).toBe(3);
  });

  it('passes a failed first computation on, and keeps nothing of it', async () => {
    computation.fail = true;
    await expect(board()).rejects.toThrow('the database is away');
    computation.fail = false;
    expect(await board()).toBe('board 2');
  });

  it('forgets at once: a board being computed still answers its reader but is not kept', async () => {
    await board();
    boards.forget('c1');
    const open = closeGate();
    const reading = board();
    await settle();
    boards.forget();
    open();
    expect(await reading).toBe('board 2');
    expect(await board()).toBe('board 3');
  });
});
