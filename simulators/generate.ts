// Turns a manifest into the stream of MQTT messages its meters would publish, in publish order.
// Day by day: each meter's consumption per interval is built (water from events, energy from
// daily shapes), registers advance, and the faults of the manifest are applied on the way out.
import { GAS_WH_PER_M3 } from '../devices/contract/units.ts';
import { getOrCreate } from '../lib/collections.ts';
import { Random } from '../lib/random.ts';
import { addDays, dateRange, localParts, startOfLocalDay, utcOffsetMinutes } from '../lib/time.ts';
import type { Manifest, ManifestMeter } from './manifest.ts';
import {
  annualEnergyKwh,
  electricitySeasonFactor,
  electricityShape,
  gasDayWh,
  gasHeatingShape,
  gasHotWaterShape,
} from './profiles/energy.ts';
import { eventsPerDay, PROPENSITY_SIGMA, type WaterEventType, waterEvents } from './profiles/water.ts';
import { dailyWeather, dayOfYearOf } from './profiles/weather.ts';
import type { SimulationSpec } from './spec.ts';

/** Where messages go: a file writer, an MQTT publisher, a test's array. */
export interface MessageSink {
  /**
   * One message. `payload` is its exact text; `isJson` is false for the deliberately broken
   * messages whose text is not JSON.
   */
  message(topic: string, payload: string, at: number, isJson: boolean): void;
  /** Called after each tick's messages; a sink may wait here (back-pressure, real-time pacing). */
  tick?(at: number): void | Promise<void>;
  /**
   * A file sink may take ordinary readings as parts instead of text, and write their bytes
   * itself: `readingText` of the same parts is the payload `message` would have been given.
   */
  reading?(reading: ReadingParts, at: number): void;
}

/** An ordinary reading, ready to be written as bytes or text. */
export interface ReadingParts {
  topic: string;
  /** The meter's constant bytes: before the time, between time and register, after the register. */
  line: ReadingLine;
  /** The time as ISO text, and its bytes. */
  iso: string;
  isoBytes: Uint8Array;
  /** The register in whole tenths (L) or thousandths (kWh, m3): see registerUnits. */
  units: number;
  decimals: 1 | 3;
}

export interface ReadingLine {
  /** `{"topic":"…","payload":{"ts":"` */
  head: Uint8Array;
  /** `","kind":"…","register":` */
  middle: Uint8Array;
  /** `,"unit":"…"}}` and a newline */
  tail: Uint8Array;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

interface MeterState {
  meter: ManifestMeter;
  topic: string;
  line: ReadingLine;
  intervalMs: number;
  /** Register in base units (L or Wh). */
  register: number;
  skewMs: number;
  replaceAt?: number;
  offline?: { from: number; to: number };
  backlog: string[];
  /** Readings held back to be delivered out of order. */
  heldBack: number;
  leak?: { from: number; litresPerHour: number };
  saving?: { from: number; fraction: number };
  /** Consumption per interval of the current day, base units. */
  bins: Float64Array;
  occupants: number;
  propensity: number;
  annualKwh: number;
}

const cumulative = (weights: readonly number[]) => {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
};
const eventShapes = new Map<WaterEventType, Float64Array>(waterEvents.map((type) => [type, cumulative(type.shape)]));
const electricityShapeSum = electricityShape.reduce((a, b) => a + b, 0);
const gasHeatingSum = gasHeatingShape.reduce((a, b) => a + b, 0);
const gasHotWaterSum = gasHotWaterShape.reduce((a, b) => a + b, 0);

function sampleHour(random: Random, shape: Float64Array): number {
  const x = random.next() * (shape[shape.length - 1] as number);
  let hour = 0;
  while (hour < shape.length - 1 && (shape[hour] as number) <= x) hour++;
  return hour;
}

/**
 * The register as the meter shows it, as a whole number of its last digit: tenths of a litre;
 * thousandths of a kWh or of a gas m3. Text and bytes are both made from this number, so a file
 * written either way is the same.
 */
export function registerUnits(meter: ManifestMeter, register: number): { units: number; decimals: 1 | 3 } {
  switch (meter.unit) {
    case 'L':
      return { units: Math.round(register * 10), decimals: 1 };
    case 'kWh':
      return { units: Math.round(register), decimals: 3 };
    default:
      return { units: Math.round((register / GAS_WH_PER_M3) * 1000), decimals: 3 };
  }
}

/** `units / 10^decimals` with exactly that many decimals. */
export function fixedText(units: number, decimals: 1 | 3): string {
  const scale = decimals === 1 ? 10 : 1000;
  const whole = Math.floor(units / scale);
  const fraction = String(units - whole * scale);
  return `${whole}.${decimals === 1 ? fraction : fraction.padStart(3, '0')}`;
}

function formatRegister(meter: ManifestMeter, register: number): string {
  const { units, decimals } = registerUnits(meter, register);
  return fixedText(units, decimals);
}

export function readingPayload(meter: ManifestMeter, ts: string, register: number): string {
  return `{"ts":"${ts}","kind":"${meter.kind}","register":${formatRegister(meter, register)},"unit":"${meter.unit}"}`;
}

/** A meter's constant NDJSON bytes around the time and the register. */
function readingLine(meter: ManifestMeter): ReadingLine {
  return {
    head: Buffer.from(`{"topic":"ontap/v1/meters/${meter.id}/readings","payload":{"ts":"`, 'latin1'),
    middle: Buffer.from(`","kind":"${meter.kind}","register":`, 'latin1'),
    tail: Buffer.from(`,"unit":"${meter.unit}"}}\n`, 'latin1'),
  };
}

const malformedReasons = ['bad-json', 'wrong-type', 'negative-register', 'unknown-kind'] as const;

function malformedPayload(
  reason: (typeof malformedReasons)[number],
  meter: ManifestMeter,
  ts: string,
): { text: string; isJson: boolean } {
  switch (reason) {
    case 'bad-json':
      return { text: `{"ts":"${ts}","kind":"${meter.kind}","register":`, isJson: false };
    case 'wrong-type':
      return { text: `{"ts":"${ts}","kind":"${meter.kind}","register":"lots","unit":"${meter.unit}"}`, isJson: true };
    case 'negative-register':
      return { text: `{"ts":"${ts}","kind":"${meter.kind}","register":-5,"unit":"${meter.unit}"}`, isJson: true };
    default:
      return { text: `{"ts":"${ts}","kind":"steam","register":1,"unit":"${meter.unit}"}`, isJson: true };
  }
}

/** Maps a local clock time (hours since local midnight) to an instant, correct on DST days. */
function localClockToInstant(dayStart: number, clockMs: number, timeZone: string, dstDay: boolean): number {
  const naive = dayStart + clockMs;
  if (!dstDay) return naive;
  return naive - (utcOffsetMinutes(naive, timeZone) - utcOffsetMinutes(dayStart, timeZone)) * MINUTE;
}

function addSpread(
  bins: Float64Array,
  dayStart: number,
  intervalMs: number,
  from: number,
  durationMs: number,
  amount: number,
): void {
  // Spread `amount` evenly over [from, from + duration), clipped to the day.
  const dayEnd = dayStart + bins.length * intervalMs;
  const start = Math.max(dayStart, Math.min(from, dayEnd - durationMs));
  const end = Math.min(dayEnd, start + durationMs);
  if (end <= start) return;
  const rate = amount / (end - start);
  for (let t = start; t < end; ) {
    const bin = Math.floor((t - dayStart) / intervalMs);
    const binEnd = dayStart + (bin + 1) * intervalMs;
    const until = Math.min(end, binEnd);
    bins[bin] = (bins[bin] as number) + rate * (until - t);
    t = until;
  }
}

export interface DayContext {
  date: string;
  dayStart: number;
  dayEnd: number;
  weekend: boolean;
  dstDay: boolean;
  dayOfYear: number;
  weather: { temperatureC: number; rainMm: number };
}

function savingFactor(state: MeterState, at: number, u: number): number {
  return state.saving && at >= state.saving.from ? 1 - state.saving.fraction * u : 1;
}

function fillWater(state: MeterState, day: DayContext, seed: number, timeZone: string): void {
  const random = new Random(`water:${seed}:${state.meter.household}:${day.date}`);
  const bins = state.bins;
  for (const type of waterEvents) {
    const rate = eventsPerDay(type, state.occupants, day.weekend, day.weather);
    const count = random.poisson(rate * state.propensity);
    const shape = eventShapes.get(type) as Float64Array;
    for (let i = 0; i < count; i++) {
      let hour = sampleHour(random, shape);
      // Weekends start later: most morning events move an hour or two on.
      if (day.weekend && hour < 11 && random.chance(0.7)) hour += random.int(1, 2);
      const clock = hour * HOUR + random.next() * HOUR;
      const at = localClockToInstant(day.dayStart, clock, timeZone, day.dstDay);
      const minutes = random.int(type.minutes.min, type.minutes.max);
      // Drawn for every event so a saving household's events match its counterfactual one by one.
      const u = random.uniform(0.6, 1.4);
      const litres = random.logNormal(type.litres.median, type.litres.sigma) * savingFactor(state, at, u);
      addSpread(bins, day.dayStart, state.intervalMs, at, minutes * MINUTE, litres);
    }
  }
  if (state.leak) {
    const from = Math.max(state.leak.from, day.dayStart);
    if (from < day.dayEnd)
      addSpread(
        bins,
        day.dayStart,
        state.intervalMs,
        from,
        day.dayEnd - from,
        ((day.dayEnd - from) / HOUR) * state.leak.litresPerHour,
      );
  }
}

function fillEnergy(state: MeterState, day: DayContext, seed: number): void {
  const random = new Random(`${state.meter.kind}:${seed}:${state.meter.household}:${day.date}`);
  const bins = state.bins;
  const hoursPerBin = state.intervalMs / HOUR;
  const dailyWh = (state.annualKwh * 1000) / 365;
  const noiseSigma = 0.3;
  const noiseMean = Math.exp((noiseSigma * noiseSigma) / 2);
  let heatingWh = 0;
  let hotWaterWh = 0;
  let electricWh = 0;
  if (state.meter.kind === 'electricity') {
    electricWh = dailyWh * electricitySeasonFactor(day.dayOfYear) * (day.weekend ? 1.08 : 1);
  } else {
    ({ hotWaterWh, heatingWh } = gasDayWh(dailyWh, day.weather.temperatureC));
  }
  for (let bin = 0; bin < bins.length; bin++) {
    const mid = day.dayStart + (bin + 0.5) * state.intervalMs;
    const hour = Math.min(23, Math.floor((mid - day.dayStart) / HOUR));
    const share =
      state.meter.kind === 'electricity'
        ? (electricWh * (electricityShape[hour] as number)) / electricityShapeSum
        : (heatingWh * (gasHeatingShape[hour] as number)) / gasHeatingSum +
          (hotWaterWh * (gasHotWaterShape[hour] as number)) / gasHotWaterSum;
    const u = random.uniform(0.6, 1.4);
    bins[bin] = share * hoursPerBin * (random.logNormal(1, noiseSigma) / noiseMean) * savingFactor(state, mid, u);
  }
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Meters are generated in this many fixed partitions (contiguous runs of the manifest's meters),
 * each with its own stream of message-fault draws. Per tick, partition 0's messages come first,
 * then partition 1's…, so the output is the same whether one thread runs all partitions in turn
 * or several threads run a share each (file-writer.ts). Changing it changes the output.
 */
export const PARTITIONS = 4;

/** The meters [start, end) of partition `index`. */
export function partitionRange(meterCount: number, index: number): [number, number] {
  return [Math.floor((index * meterCount) / PARTITIONS), Math.floor(((index + 1) * meterCount) / PARTITIONS)];
}

export interface MessageFaults {
  duplicates: Manifest['faults']['duplicates'];
  reordered: Manifest['faults']['reordered'];
  malformed: Manifest['faults']['malformed'];
}

/** The ticks every partition steps through: the start, each base interval of each day, the end. */
export function simulationClock(spec: SimulationSpec, manifest: Manifest) {
  const baseMs = gcdOf(manifest.meters.map((m) => m.intervalMinutes * MINUTE)) || 15 * MINUTE;
  return {
    baseMs,
    start: startOfLocalDay(spec.from, spec.timeZone),
    end: startOfLocalDay(addDays(spec.to, 1), spec.timeZone),
  };
}

/** Where messages outside the simulation's window go: faults sent there are not recorded either. */
const nowhere: MessageSink = { message() {} };

/** One partition's meters, stepped tick by tick. */
export class PartitionGenerator {
  readonly faults: MessageFaults = { duplicates: [], reordered: [], malformed: [] };
  private readonly spec: SimulationSpec;
  private readonly states: MeterState[];
  private readonly messageRandom: Random;
  private readonly delayed = new Map<number, { state: MeterState; payload: string; ts: number }[]>();
  private readonly simulationEnd: number;

  constructor(spec: SimulationSpec, manifest: Manifest, index: number) {
    this.spec = spec;
    const seed = spec.seed;
    const timeZone = spec.timeZone;
    const faults = manifest.faults;
    const households = new Map(manifest.households.map((h) => [h.id, h]));
    const leaks = new Map(faults.leaks.map((l) => [l.meter, l]));
    const savings = new Map(manifest.savings.map((s) => [s.household, s]));
    const offline = new Map(faults.offline.map((o) => [o.meter, o]));
    const skews = new Map(faults.skews.map((s) => [s.meter, s.skewMs]));
    const replacements = new Map(faults.replacements.map((r) => [r.meter, r.at]));
    this.messageRandom = new Random(seed).fork(`messages:${index}`);
    this.simulationEnd = simulationClock(spec, manifest).end;
    // Starting registers are drawn in manifest order for every meter, whichever partition runs.
    const initialRandom = new Random(seed).fork('registers');
    const registers = manifest.meters.map((meter) =>
      meter.kind === 'water' ? initialRandom.uniform(0, 900_000) : initialRandom.uniform(0, 40_000_000),
    );
    const [from, to] = partitionRange(manifest.meters.length, index);
    this.states = manifest.meters.slice(from, to).map((meter, i) => {
      const household = households.get(meter.household);
      if (!household) throw new Error(`meter ${meter.id} names unknown household ${meter.household}`);
      const householdRandom = new Random(`household:${seed}:${household.id}`);
      const propensity = householdRandom.logNormal(1, PROPENSITY_SIGMA);
      const saving = savings.get(household.id);
      const state: MeterState = {
        meter,
        topic: `ontap/v1/meters/${meter.id}/readings`,
        line: readingLine(meter),
        intervalMs: meter.intervalMinutes * MINUTE,
        register: registers[from + i] as number,
        skewMs: skews.get(meter.id) ?? 0,
        backlog: [],
        heldBack: 0,
        bins: new Float64Array(0),
        occupants: household.occupants,
        propensity,
        annualKwh: meter.kind === 'water' ? 0 : annualEnergyKwh(meter.kind, household.occupants, householdRandom),
      };
      const replaceAt = replacements.get(meter.id);
      if (replaceAt !== undefined) state.replaceAt = replaceAt;
      const off = offline.get(meter.id);
      if (off) state.offline = off;
      const leak = leaks.get(meter.id);
      if (leak) state.leak = leak;
      if (saving) state.saving = { from: startOfLocalDay(saving.from, timeZone), fraction: saving.fraction };
      return state;
    });
  }

  // A fault with rate 0 draws nothing: the hot path stays lean, and the output is still a function of seed and options.
  private draws(rate: number): boolean {
    return rate > 0 && this.messageRandom.chance(rate);
  }

  /** Sends a reading, then perhaps a duplicate and a malformed message after it. */
  private emit(sink: MessageSink, state: MeterState, send: () => void, at: number, ts: number): void {
    const recorded = sink !== nowhere;
    send();
    if (this.draws(this.spec.faults.duplicate)) {
      send();
      if (recorded) this.faults.duplicates.push({ meter: state.meter.id, ts });
    }
    if (this.draws(this.spec.faults.malformed)) {
      const reason = this.messageRandom.pick(malformedReasons);
      const bad = malformedPayload(reason, state.meter, isoTime(ts));
      sink.message(state.topic, bad.text, at, bad.isJson);
      if (recorded) this.faults.malformed.push({ meter: state.meter.id, at, reason });
    }
  }

  /** A reading held back to arrive after later ones: recorded as reordered when it is sent. */
  private emitLate(sink: MessageSink, state: MeterState, payload: string, at: number, ts: number): void {
    if (sink !== nowhere) this.faults.reordered.push({ meter: state.meter.id, ts });
    this.emit(sink, state, () => sink.message(state.topic, payload, at, true), at, ts);
  }

  private publishReading(sink: MessageSink, state: MeterState, at: number, isoAt: string, isoBytes: Uint8Array): void {
    const ts = at + state.skewMs;
    const iso = state.skewMs === 0 ? isoAt : isoTime(ts);
    const off = state.offline;
    if (off && at >= off.from && at < off.to) {
      state.backlog.push(readingPayload(state.meter, iso, state.register));
      return;
    }
    if (state.backlog.length > 0) {
      // Back online: the device sends what it kept as batches of at most 1000.
      for (let i = 0; i < state.backlog.length; i += 1000) {
        sink.message(state.topic, `[${state.backlog.slice(i, i + 1000).join(',')}]`, at, true);
      }
      state.backlog = [];
    }
    const reorder = this.draws(this.spec.faults.reorder);
    const due = reorder ? at + this.messageRandom.int(1, 3) * state.intervalMs : 0;
    // Held back behind later readings, unless those would be held back too (offline) or never come (end).
    // …or behind another held-back reading of the same meter (then nothing would overtake it).
    if (reorder && state.heldBack === 0 && !(off && due >= off.from && at < off.to) && due < this.simulationEnd) {
      state.heldBack++;
      getOrCreate(this.delayed, due, () => []).push({ state, payload: readingPayload(state.meter, iso, state.register), ts });
      return;
    }
    const fast = sink.reading;
    if (fast) {
      // The hot path of file output: no payload text is made at all.
      const { units, decimals } = registerUnits(state.meter, state.register);
      const parts: ReadingParts = {
        topic: state.topic,
        line: state.line,
        iso,
        isoBytes: state.skewMs === 0 ? isoBytes : Buffer.from(iso, 'latin1'),
        units,
        decimals,
      };
      this.emit(sink, state, () => fast.call(sink, parts, at), at, ts);
    } else {
      const payload = readingPayload(state.meter, iso, state.register);
      this.emit(sink, state, () => sink.message(state.topic, payload, at, true), at, ts);
    }
  }

  /** Every meter reports its starting register when the simulation begins. */
  begin(sink: MessageSink, start: number): void {
    const startIso = isoTime(start);
    const startBytes = Buffer.from(startIso, 'latin1');
    for (const state of this.states) this.publishReading(sink, state, start, startIso, startBytes);
  }

  /** Draws each meter's use per interval of the day. */
  startDay(day: DayContext): void {
    for (const state of this.states) {
      const binCount = Math.round((day.dayEnd - day.dayStart) / state.intervalMs);
      if (state.bins.length !== binCount) state.bins = new Float64Array(binCount);
      else state.bins.fill(0);
      if (state.meter.kind === 'water') fillWater(state, day, this.spec.seed, this.spec.timeZone);
      else fillEnergy(state, day, this.spec.seed);
    }
  }

  tick(sink: MessageSink, day: DayContext, at: number, isoAt: string, isoBytes: Uint8Array): void {
    for (const state of this.states) {
      if ((at - day.dayStart) % state.intervalMs !== 0) continue;
      state.register += state.bins[(at - day.dayStart) / state.intervalMs - 1] as number;
      if (state.replaceAt !== undefined && at >= state.replaceAt) {
        // A new meter is fitted: its register starts from zero.
        state.register = 0;
        state.replaceAt = undefined;
      }
      this.publishReading(sink, state, at, isoAt, isoBytes);
    }
    const due = this.delayed.get(at);
    if (due) {
      this.delayed.delete(at);
      for (const { state, payload, ts } of due) {
        state.heldBack--;
        this.emitLate(sink, state, payload, at, ts);
      }
    }
  }

  /** Whatever is still held back or kept offline goes out at the end. */
  finish(sink: MessageSink, end: number): void {
    for (const [, list] of [...this.delayed.entries()].sort((a, b) => a[0] - b[0])) {
      for (const { state, payload, ts } of list) this.emitLate(sink, state, payload, end, ts);
    }
    this.delayed.clear();
    for (const state of this.states) {
      if (state.backlog.length > 0) {
        for (let i = 0; i < state.backlog.length; i += 1000)
          sink.message(state.topic, `[${state.backlog.slice(i, i + 1000).join(',')}]`, end, true);
        state.backlog = [];
      }
    }
  }
}

export function dayContext(date: string, spec: SimulationSpec): DayContext {
  const dayStart = startOfLocalDay(date, spec.timeZone);
  const dayEnd = startOfLocalDay(addDays(date, 1), spec.timeZone);
  const parts = localParts(dayStart + 12 * HOUR, spec.timeZone);
  return {
    date,
    dayStart,
    dayEnd,
    weekend: parts.weekday === 0 || parts.weekday === 6,
    dstDay: dayEnd - dayStart !== 24 * HOUR,
    dayOfYear: dayOfYearOf(date),
    weather: dailyWeather(spec.seed, date),
  };
}

/**
 * Steps partitions through the whole simulation: `segment(at, final)` is called after each tick's
 * messages of these partitions: the start, every base interval, and (final) what is sent at the end.
 */
export async function runPartitions(
  spec: SimulationSpec,
  manifest: Manifest,
  partitions: PartitionGenerator[],
  sink: MessageSink,
  segment: (at: number, final: boolean) => void | Promise<void>,
): Promise<void> {
  const { baseMs, start, end } = simulationClock(spec, manifest);
  const windowFrom = spec.window ? Date.parse(spec.window.from) : Number.NEGATIVE_INFINITY;
  const windowTo = spec.window ? Date.parse(spec.window.to) : Number.POSITIVE_INFINITY;
  // Outside the window the simulation runs but its messages go nowhere.
  const into = (at: number) => (at >= windowFrom && at < windowTo ? sink : nowhere);
  // Ticks outside the window are not reported; the final step always is (a writer waits for it).
  const step = async (at: number, final: boolean) => {
    if (final || (at >= windowFrom && at < windowTo)) await segment(at, final);
  };
  for (const partition of partitions) partition.begin(into(start), start);
  await step(start, false);
  for (const date of dateRange(spec.from, spec.to)) {
    const day = dayContext(date, spec);
    if (day.dayStart >= windowTo) break;
    for (const partition of partitions) partition.startDay(day);
    for (let at = day.dayStart + baseMs; at <= day.dayEnd && at < windowTo; at += baseMs) {
      const isoAt = isoTime(at);
      const isoBytes = Buffer.from(isoAt, 'latin1');
      for (const partition of partitions) partition.tick(into(at), day, at, isoAt, isoBytes);
      await step(at, false);
    }
  }
  for (const partition of partitions) partition.finish(into(end), end);
  await step(end, true);
}

/** Message faults of the partitions, in partition order, into the manifest. */
export function recordMessageFaults(manifest: Manifest, partitions: readonly MessageFaults[]): void {
  const faults = manifest.faults;
  faults.duplicates = partitions.flatMap((p) => p.duplicates);
  faults.reordered = partitions.flatMap((p) => p.reordered);
  faults.malformed = partitions.flatMap((p) => p.malformed);
}

/** Generates every message of the simulation into `sink`, recording message faults in the manifest. */
export async function generateMessages(spec: SimulationSpec, manifest: Manifest, sink: MessageSink): Promise<void> {
  const partitions = Array.from({ length: PARTITIONS }, (_, index) => new PartitionGenerator(spec, manifest, index));
  // The end's leftovers need no pacing: a live sink must not wait for the end of the last day.
  await runPartitions(spec, manifest, partitions, sink, (at, final) => (final ? undefined : sink.tick?.(at)));
  recordMessageFaults(
    manifest,
    partitions.map((p) => p.faults),
  );
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
function gcdOf(values: number[]): number {
  return values.reduce((acc, v) => gcd(acc, v), 0);
}
