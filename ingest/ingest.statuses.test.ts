// Flapping statuses read from a backlog: a meter flipping on- and offline with every message, all
// received within one minute that is long over when ingest reads them, a few at a time. The cap of
// STATUSES_STORED_PER_MINUTE holds however many batches the backlog takes, and the last state the
// meter sent is the one stored last. (Releasing a held status by the clock while that minute's
// backlog was still being read once stored one more per batch: 158 instead of at most 16.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerManifest } from '../demo/seed.ts';
import { meterTopic } from '../devices/contract/topics.ts';
import { moduleLogger } from '../lib/logger.ts';
import { simulateToArray } from '../simulators/index.ts';
import { migrate, openDatabase } from '../storage/metadata/database.ts';
import { SqlReadingStore } from '../storage/readings/sql/sql-reading-store.ts';
import { startIngest } from './ingest-service.ts';
import type { Intake, IntakeSink } from './intake/intake.ts';
import { MeterDirectory } from './pipeline/meter-directory.ts';
import { STATUSES_STORED_PER_MINUTE } from './pipeline/pipeline.ts';

/** An intake whose whole traffic is a backlog already received when ingest starts. */
function backlogIntake(messages: { topic: string; payload: string; receivedAt: number }[]): Intake {
  return {
    id: 'ontap-ingest-backlog',
    async start(_topics: readonly string[], sink: IntakeSink) {
      for (const message of messages) sink.add(message.topic, Buffer.from(message.payload), false, message.receivedAt);
      await sink.commit();
    },
    connected: () => true,
    socketReads: () => 0,
    async stop() {},
  };
}

describe('statuses of a flapping meter read from a backlog', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('stores at most the minute’s cap however many batches it takes, and the last state last', { timeout: 60_000 }, async () => {
    const { manifest } = await simulateToArray({
      households: 1,
      streets: 1,
      from: '2026-11-01',
      to: '2026-11-01',
      seed: 3,
      idPrefix: 'flap-',
    });
    const db = await openDatabase('pglite:memory');
    cleanups.push(() => db.close());
    await migrate(db);
    await registerManifest(db, manifest, { id: 'flap-n', name: 'Flapping' });
    const store = await SqlReadingStore.open(db);
    const directory = await MeterDirectory.open(db);
    cleanups.push(() => directory.close());
    const meterId = manifest.meters[0]?.id as string;

    // 400 statuses within one minute ten minutes ago, flipping with every one; the last says offline.
    const minute = Math.floor((Date.now() - 600_000) / 60_000) * 60_000;
    const messages = Array.from({ length: 400 }, (_, n) => ({
      topic: meterTopic(meterId, 'status'),
      payload: JSON.stringify({ online: n % 2 === 0 }),
      receivedAt: minute + 100 * n,
    }));
    const ingest = await startIngest({
      intake: backlogIntake(messages),
      store,
      directory,
      spoolDir: mkdtempSync(join(tmpdir(), 'ontap-flap-')),
      logger: moduleLogger('ingest-statuses-test'),
      batchMessages: 7,
    });
    try {
      await ingest.drained();
    } finally {
      await ingest.stop();
    }

    const statuses = (await store.events(meterId)).filter((event) => event.type === 'status');
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(statuses.length).toBeLessThanOrEqual(STATUSES_STORED_PER_MINUTE);
    const last = statuses.sort((a, b) => a.ts - b.ts).at(-1);
    expect(JSON.parse(last?.detail ?? '{}')).toStrictEqual({ online: false });
    expect(last?.ts).toBe(minute + 100 * 399);
  });
});
