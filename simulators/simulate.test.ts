import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContractError, parseReadingMessage } from '../devices/contract/index.ts';
import { dateRange, localParts } from '../lib/time.ts';
import { dailyUseFromMessages } from '../testing/usage-oracle.ts';
import { writeNdjsonFile } from './file-writer.ts';
import { buildManifest, generateMessages, simulateToArray, simulationSpecSchema } from './index.ts';
import { NdjsonFileSink, ndjsonLine } from './ndjson.ts';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function ndjsonDigest(seed: number) {
  const path = join(tmpdir(), `ontap-sim-${seed}-${process.pid}-${Math.random()}.ndjson`);
  const spec = simulationSpecSchema.parse({
    households: 20,
    streets: 3,
    from: '2026-03-01',
    to: '2026-03-03',
    seed,
    faults: { duplicate: 0.01, reorder: 0.01, malformed: 0.01, offline: 0.2 },
  });
  const sink = new NdjsonFileSink(path);
  await generateMessages(spec, buildManifest(spec), sink);
  await sink.close();
  const digest = createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
  await rm(path);
  return digest;
}

describe('determinism', () => {
  it('gives identical bytes for the same seed and different bytes for another', async () => {
    const [a, b, c] = await Promise.all([ndjsonDigest(7), ndjsonDigest(7), ndjsonDigest(8)]);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('writes the same file, and records the same faults, on worker threads as on one thread', async () => {
    const spec = simulationSpecSchema.parse({
      households: 30,
      streets: 3,
      from: '2026-03-28',
      to: '2026-03-30', // the clocks go forward on the 29th: a 23-hour day
      seed: 11,
      faults: { duplicate: 0.02, reorder: 0.02, malformed: 0.02, offline: 0.3, skew: 0.2, replace: 0.2 },
    });
    const outputs = [];
    for (const threads of [1, 2, 3]) {
      const path = join(tmpdir(), `ontap-sim-threads-${threads}-${process.pid}.ndjson`);
      const manifest = buildManifest(spec);
      const { messages } = await writeNdjsonFile(spec, manifest, path, { threads });
      const bytes = await readFile(path);
      await rm(path);
      outputs.push({ digest: createHash('sha256').update(bytes).digest('hex'), messages, faults: manifest.faults });
    }
    // The text every other sink is given, line by line: the same bytes as the file's fast path.
    const manifest = buildManifest(spec);
    const lines: string[] = [];
    await generateMessages(spec, manifest, {
      message: (topic, payload, _at, isJson) => lines.push(ndjsonLine(topic, payload, isJson)),
    });
    expect(createHash('sha256').update(lines.join('')).digest('hex')).toBe(outputs[0]?.digest);
    expect(outputs[0]?.messages).toBeGreaterThan(1000);
    expect(outputs[0]?.faults.duplicates.length).toBeGreaterThan(0);
    expect(outputs[1]).toStrictEqual(outputs[0]);
    expect(outputs[2]).toStrictEqual(outputs[0]);
  });
});

describe('a time window', () => {
  it('sends exactly the messages of the whole run that fall in the window, and records only their faults', async () => {
    const input = {
      households: 15,
      streets: 2,
      from: '2026-03-01',
      to: '2026-03-02',
      seed: 5,
      faults: { duplicate: 0.05, reorder: 0.05, malformed: 0.05, offline: 0.3 },
    } as const;
    const whole = await simulateToArray(input);
    const window = { from: '2026-03-01T18:00:00Z', to: '2026-03-02T06:00:00Z' };
    const part = await simulateToArray({ ...input, window });
    const inWindow = whole.messages.filter((m) => m.at >= Date.parse(window.from) && m.at < Date.parse(window.to));
    expect(part.messages.length).toBeGreaterThan(100);
    expect(part.messages).toStrictEqual(inWindow);
    const malformedInWindow = whole.manifest.faults.malformed.filter(
      (f) => f.at >= Date.parse(window.from) && f.at < Date.parse(window.to),
    );
    expect(part.manifest.faults.malformed).toStrictEqual(malformedInWindow);
    expect(part.manifest.faults.duplicates.length).toBeLessThan(whole.manifest.faults.duplicates.length);
  });

  it('writes the same windowed file on worker threads as on one thread', async () => {
    const spec = simulationSpecSchema.parse({
      households: 15,
      streets: 2,
      from: '2026-03-01',
      to: '2026-03-02',
      seed: 5,
      window: { from: '2026-03-01T18:00:00Z', to: '2026-03-02T06:00:00Z' },
      faults: { duplicate: 0.05, reorder: 0.05 },
    });
    const texts = [];
    for (const threads of [1, 2]) {
      const path = join(tmpdir(), `ontap-sim-window-${threads}-${process.pid}.ndjson`);
      await writeNdjsonFile(spec, buildManifest(spec), path, { threads });
      texts.push(await readFile(path, 'utf8'));
      await rm(path);
    }
    expect(texts[0]?.split('\n').length).toBeGreaterThan(100);
    expect(texts[1]).toBe(texts[0]);
  });
});

describe('a month of 200 households (statistics)', () => {
  // Autumn month with the clocks going back on 25 October: a 25-hour day inside.
  const input = {
    households: 200,
    streets: 8,
    from: '2026-09-21',
    to: '2026-10-31',
    seed: 42,
    savings: { share: 0.3, from: '2026-10-19', min: 0.1, max: 0.2 },
    faults: { leak: 0.05, offline: 0.05, duplicate: 0.01, reorder: 0.01, skew: 0.05, replace: 0.02, malformed: 0.002 },
  };
  let run: Awaited<ReturnType<typeof simulateToArray>>;
  let use: ReturnType<typeof dailyUseFromMessages>;
  const fullDays = dateRange('2026-09-22', '2026-10-30');

  beforeAll(async () => {
    run = await simulateToArray(input);
    use = dailyUseFromMessages(run.messages, 'Europe/London');
  }, 120_000);

  const litresPerPersonPerDay = (household: { id: string; occupants: number }, days = fullDays.slice(0, 27)) => {
    const meter = use.get(`${household.id}-w`);
    const total = days.reduce((sum, date) => sum + (meter?.get(date) ?? 0), 0);
    return total / days.length / household.occupants;
  };

  it('has a median household of 120–150 litres per person per day, with a realistic spread', () => {
    const leaky = new Set(run.manifest.faults.leaks.map((l) => l.household));
    const replaced = new Set(run.manifest.faults.replacements.map((r) => r.meter));
    const values = run.manifest.households
      .filter((h) => !leaky.has(h.id) && !replaced.has(`${h.id}-w`))
      .map((h) => litresPerPersonPerDay(h));
    const m = median(values);
    expect(m).toBeGreaterThanOrEqual(120);
    expect(m).toBeLessThanOrEqual(150);
    const sorted = [...values].sort((a, b) => a - b);
    const p10 = sorted[Math.floor(sorted.length * 0.1)] as number;
    const p90 = sorted[Math.floor(sorted.length * 0.9)] as number;
    expect(p90 / p10).toBeGreaterThan(1.6);
    expect(p90 / p10).toBeLessThan(5);
  });

  it('puts the morning and evening peaks above the night, and shifts weekends later', () => {
    // Use per-hour consumption from the oracle over readings: recompute from consecutive registers.
    const perHour = { weekday: new Float64Array(24), weekend: new Float64Array(24) };
    const last = new Map<string, { ts: number; register: number }>();
    for (const message of run.messages) {
      if (!message.topic.endsWith('-w/readings') || !message.isJson || message.payload.startsWith('[')) continue;
      let parsed: ReturnType<typeof parseReadingMessage>;
      try {
        parsed = parseReadingMessage(message.topic, message.payload, Date.parse('2100-01-01'));
      } catch (error) {
        if (error instanceof ContractError) continue;
        throw error;
      }
      const reading = parsed.readings[0];
      if (!reading || reading.register === undefined) continue;
      const previous = last.get(reading.meterId);
      last.set(reading.meterId, { ts: reading.ts, register: reading.register });
      if (!previous || reading.ts - previous.ts !== 15 * 60_000 || reading.register < previous.register) continue;
      const p = localParts(previous.ts, 'Europe/London');
      const hours = p.weekday === 0 || p.weekday === 6 ? perHour.weekend : perHour.weekday;
      hours[p.hour] = (hours[p.hour] as number) + reading.register - previous.register;
    }
    const wd = perHour.weekday;
    const night = (wd[2] as number) + (wd[3] as number) + (wd[4] as number);
    expect((wd[7] as number) + (wd[8] as number)).toBeGreaterThan(night * 3);
    expect((wd[18] as number) + (wd[19] as number)).toBeGreaterThan(night * 3);
    // Weekend mornings peak later: share of 06–08 use lower, 09–11 higher than on weekdays.
    const share = (h: Float64Array, from: number, to: number) =>
      h.slice(from, to).reduce((a, b) => a + b, 0) / h.reduce((a, b) => a + b, 0);
    expect(share(perHour.weekend, 6, 8)).toBeLessThan(share(wd, 6, 8));
    expect(share(perHour.weekend, 9, 12)).toBeGreaterThan(share(wd, 9, 12));
  });

  it('shows each leak as 24 hours and more without an hour free of consumption', () => {
    expect(run.manifest.faults.leaks.length).toBeGreaterThan(3);
    for (const leak of run.manifest.faults.leaks) {
      const readings = run.messages
        .filter((m) => m.topic === `ontap/v1/meters/${leak.meter}/readings`)
        .flatMap((m) => {
          try {
            return parseReadingMessage(m.topic, m.payload, Date.parse('2100-01-01')).readings;
          } catch {
            return [];
          }
        })
        .sort((a, b) => a.ts - b.ts);
      // Every hour from a day after the leak starts has consumption.
      const zeroHoursAfter = readings.filter((r, i) => {
        const previous = readings[i - 1];
        return (
          previous &&
          r.ts >= leak.from + 3_600_000 &&
          r.ts - previous.ts === 15 * 60_000 &&
          (r.register ?? 0) - (previous.register ?? 0) <= 0 &&
          (previous.register ?? 0) <= (r.register ?? 0)
        );
      });
      expect(zeroHoursAfter).toStrictEqual([]);
    }
  });

  it('shows each injected saving against the household’s own baseline within ±3 points (as a group) and against its counterfactual (each)', async () => {
    const counterfactual = await simulateToArray({ ...input, savings: { share: 0 } });
    const counterUse = dailyUseFromMessages(counterfactual.messages, 'Europe/London');
    const challengeDays = dateRange('2026-10-19', '2026-10-30');
    const baselineDays = dateRange('2026-09-22', '2026-10-18');
    const total = (u: typeof use, meter: string, days: string[]) => days.reduce((s, d) => s + (u.get(meter)?.get(d) ?? 0), 0);
    const replaced = new Set(run.manifest.faults.replacements.map((r) => r.meter));
    const leaky = new Set(run.manifest.faults.leaks.map((l) => l.meter));
    let measuredSum = 0;
    let injectedSum = 0;
    let n = 0;
    for (const saving of run.manifest.savings) {
      const meter = `${saving.household}-w`;
      if (replaced.has(meter)) continue;
      const measured = 1 - total(use, meter, challengeDays) / total(counterUse, meter, challengeDays);
      // A leak is not behaviour: it keeps running and dilutes the saving, so leaky homes are left out.
      if (leaky.has(meter)) continue;
      expect(Math.abs(measured - saving.fraction)).toBeLessThan(0.03);
      const vsBaseline =
        1 - total(use, meter, challengeDays) / challengeDays.length / (total(use, meter, baselineDays) / baselineDays.length);
      const counterVsBaseline =
        1 -
        total(counterUse, meter, challengeDays) /
          challengeDays.length /
          (total(counterUse, meter, baselineDays) / baselineDays.length);
      measuredSum += vsBaseline - counterVsBaseline;
      injectedSum += saving.fraction;
      n++;
    }
    expect(n).toBeGreaterThan(30);
    expect(Math.abs(measuredSum / n - injectedSum / n)).toBeLessThan(0.03);
  });

  it('puts every injected fault in the output as the manifest records it', () => {
    const { faults } = run.manifest;
    // Per meter, in publish order: single well-formed readings (ts, register) and batches.
    const singles = new Map<string, { ts: number; register: number }[]>();
    const batches = new Map<string, unknown[][]>();
    for (const m of run.messages) {
      let body: unknown;
      try {
        body = JSON.parse(m.payload);
      } catch {
        continue;
      }
      const meter = m.topic.split('/')[3] as string;
      if (Array.isArray(body)) {
        batches.set(meter, [...(batches.get(meter) ?? []), body]);
      } else {
        const { ts, register } = body as { ts: string; register: unknown };
        if (typeof register !== 'number' || register < 0) continue;
        const list = singles.get(meter) ?? [];
        list.push({ ts: Date.parse(ts), register });
        singles.set(meter, list);
      }
    }
    // Offline: the readings of the window arrive later as one batch.
    expect(faults.offline.length).toBeGreaterThan(5);
    for (const off of faults.offline) {
      const [batch] = batches.get(off.meter) ?? [];
      expect(batch, off.meter).toBeDefined();
      expect(batch?.length).toBe(Math.round((off.to - off.from) / (off.meter.endsWith('-w') ? 900_000 : 1_800_000)));
    }
    // Duplicates: the same reading twice.
    expect(faults.duplicates.length).toBeGreaterThan(10);
    for (const dup of faults.duplicates) {
      expect(singles.get(dup.meter)?.filter((r) => r.ts === dup.ts).length, dup.meter).toBeGreaterThanOrEqual(2);
    }
    // Reordered: published after a reading with a later timestamp.
    expect(faults.reordered.length).toBeGreaterThan(10);
    for (const late of faults.reordered) {
      const list = singles.get(late.meter) ?? [];
      const index = list.findIndex((r) => r.ts === late.ts);
      expect(index, late.meter).toBeGreaterThan(0);
      expect(Math.max(...list.slice(0, index).map((r) => r.ts))).toBeGreaterThan(late.ts);
    }
    // Skew: every timestamp of the meter is off the interval grid by the skew.
    expect(faults.skews.length).toBeGreaterThan(5);
    for (const skew of faults.skews) {
      for (const r of singles.get(skew.meter) ?? []) expect((((r.ts - skew.skewMs) % 900_000) + 900_000) % 900_000).toBe(0);
    }
    // Replacement: the register drops to zero at the recorded time.
    for (const replacement of faults.replacements) {
      const list = singles.get(replacement.meter) ?? [];
      const atReplacement = list.find((r) => r.register === 0);
      expect(atReplacement, replacement.meter).toBeDefined();
      expect(atReplacement?.ts).toBeGreaterThanOrEqual(replacement.at);
    }
    // Malformed: each is refused by the contract; the rate is within tolerance.
    const readingCount = run.messages.length - faults.malformed.length;
    expect(faults.malformed.length / readingCount).toBeGreaterThan(0.001);
    expect(faults.malformed.length / readingCount).toBeLessThan(0.003);
    const refused = run.messages.filter((m) => {
      try {
        return parseReadingMessage(m.topic, m.payload, Date.parse('2100-01-01')).rejected.length > 0;
      } catch {
        return true;
      }
    });
    expect(refused.length).toBe(faults.malformed.length);
  });
});
