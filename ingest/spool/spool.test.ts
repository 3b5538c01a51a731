import { spawn } from 'node:child_process';
import fs, { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool } from './spool.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'ontap-spool-'));
const text = (records: { topic: string; payload: Buffer }[]) => records.map((r) => `${r.topic}=${r.payload.toString()}`);

describe('Spool', () => {
  it('reads back what was appended, in order, across segments', () => {
    const spool = new Spool({ dir: fresh(), segmentBytes: 200 });
    const reader = spool.reader();
    for (let i = 0; i < 50; i++) spool.append(`t/${i}`, Buffer.from(`payload ${i}`), 1000 + i, i);
    const records = [...reader.read(30), ...reader.read(100)];
    expect(text(records)).toStrictEqual(Array.from({ length: 50 }, (_, i) => `t/${i}=payload ${i}`));
    expect(records[49]?.receivedAt).toBe(1049);
    expect(records.map((r) => r.sequence)).toStrictEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(records.some((r) => r.retained)).toBe(false);
    expect(spool.segments().length).toBeGreaterThan(5);
    expect(reader.read(10)).toStrictEqual([]);
    spool.close();
  });

  it('keeps the retained flag beside the sequence number', () => {
    const spool = new Spool({ dir: fresh() });
    const reader = spool.reader();
    spool.append('t', Buffer.from('a'), 1, 999_999, true);
    spool.append('t', Buffer.from('b'), 2, 999_999, false);
    expect(reader.read(10).map((r) => [r.sequence, r.retained])).toStrictEqual([
      [999_999, true],
      [999_999, false],
    ]);
    spool.close();
  });

  it('replays from the checkpoint after a restart, skipping a record cut short by a kill', () => {
    const dir = fresh();
    const first = new Spool({ dir });
    for (let i = 0; i < 10; i++) first.append('t', Buffer.from(String(i)), i, 0);
    const reader = first.reader();
    const done = reader.read(4);
    first.commit(done[3]?.next ?? { segment: 0, offset: 0 });
    first.close();
    // A process killed in the middle of a write leaves half a record.
    const segment = readdirSync(dir).find((name) => name.endsWith('.spool')) as string;
    appendFileSync(join(dir, segment), Buffer.from([200, 0, 0, 0, 1, 2]));

    const second = new Spool({ dir });
    second.append('t', Buffer.from('after restart'), 99, 0);
    const replay = second.reader().read(100);
    expect(text(replay)).toStrictEqual(['t=4', 't=5', 't=6', 't=7', 't=8', 't=9', 't=after restart']);
    second.commit(replay[replay.length - 1]?.next ?? { segment: 0, offset: 0 });
    // Segments wholly before the checkpoint are gone; the one being written stays.
    expect(second.segments()).toStrictEqual([second.head.segment]);
    expect(second.backlogBytes()).toBe(0);
    second.close();
  });

  it('wakes a waiting drainer on append', async () => {
    const spool = new Spool({ dir: fresh() });
    const started = Date.now();
    setTimeout(() => spool.append('t', Buffer.from('x'), 0, 0), 20);
    await spool.waitForAppend(5_000);
    expect(Date.now() - started).toBeLessThan(4_000);
    spool.close();
  });

  it('closes a segment that has aged, so once drained the raw messages in it are deleted', () => {
    // Raw payloads (an erased household's too) must not linger in a segment that never fills up.
    const spool = new Spool({ dir: fresh(), maxSegmentAgeMs: 60_000 });
    spool.append('ontap/v1/meters/m1/readings', Buffer.from('{"secret":1}'), 1, 1);
    const reader = spool.reader();
    const [record] = reader.read(10);
    spool.rotateIfOld(Date.now() + 30_000);
    expect(spool.segments()).toHaveLength(1);
    spool.rotateIfOld(Date.now() + 61_000);
    expect(spool.segments()).toHaveLength(2);
    // The drainer, caught up, reads on into the new segment and commits there: the old one goes.
    spool.commit(record?.next ?? { segment: 0, offset: 0 });
    expect(reader.read(10)).toStrictEqual([]);
    spool.commit(reader.position);
    expect(spool.segments()).toStrictEqual([spool.head.segment]);
    expect(readdirSync(spool.dir).filter((name) => name.endsWith('.spool'))).toHaveLength(1);
    // An empty segment is not rotated for nothing.
    spool.rotateIfOld(Date.now() + 3_600_000);
    expect(spool.segments()).toHaveLength(1);
    reader.close();
    spool.close();
  });

  it('loses no acknowledged record when the disk fills part way through a write', () => {
    // A full disk writes part of a batch, then throws ENOSPC. The bytes that reached the file
    // once stayed, and the records acknowledged after them were read back as garbage.
    const spool = new Spool({ dir: fresh() });
    spool.append('ontap/v1/meters/a/readings', Buffer.from('{"before":1}'), 1, 1);
    const realWritev = fs.writevSync;
    (fs as { writevSync: typeof fs.writevSync }).writevSync = ((fd: number, buffers: NodeJS.ArrayBufferView[]) => {
      realWritev(fd, [Buffer.concat(buffers as Buffer[]).subarray(0, 30)]);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writevSync;
    syncBuiltinESMExports();
    try {
      expect(() => spool.append('ontap/v1/meters/a/readings', Buffer.from('{"refused":2}'), 2, 2)).toThrow(/ENOSPC/);
    } finally {
      (fs as { writevSync: typeof fs.writevSync }).writevSync = realWritev;
      syncBuiltinESMExports();
    }
    for (let i = 3; i < 8; i++) spool.append('ontap/v1/meters/a/readings', Buffer.from(`{"after":${i}}`), i, i);
    const records = spool.reader().read(100);
    expect(text(records)).toStrictEqual([
      'ontap/v1/meters/a/readings={"before":1}',
      ...[3, 4, 5, 6, 7].map((i) => `ontap/v1/meters/a/readings={"after":${i}}`),
    ]);
    spool.close();
  });

  it('is one process’s: a second process on the same spool is refused, a dead one’s lock taken over', async () => {
    // Two `ontap ingest` on one data dir once shared segment names and the checkpoint.
    const dir = fresh();
    const other = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { Spool } = await import(${JSON.stringify(new URL('./spool.ts', import.meta.url).pathname)}); new Spool({ dir: ${JSON.stringify(dir)} }); console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => other.stdout?.once('data', () => resolve()));
    try {
      expect(() => new Spool({ dir })).toThrow(`the ingest spool ${dir} is in use by another OnTap (process ${other.pid})`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    const taken = new Spool({ dir });
    taken.close();
  });
});
