// Daily use of simulated households, fast: the households, weather, water events and gas model of
// generate.ts, but only each day's total (no meters, intervals, registers or messages). For
// statistics over many seeded neighbourhoods, where generate.ts would spend seconds on each
// (domain/impact.test.ts checks the impact report on 100 of them). The same distributions, not the
// same draws: household 3 here is not household 3 of the same seed there.
import { Random } from '../lib/random.ts';
import { dateRange, type LocalDate } from '../lib/time.ts';
import { annualEnergyKwh, gasDayWh } from './profiles/energy.ts';
import { occupantsMix } from './profiles/households.ts';
import { eventsPerDay, PROPENSITY_SIGMA, waterEvents } from './profiles/water.ts';
import { dailyWeather, type Weather } from './profiles/weather.ts';

export type DailyKind = 'water' | 'gas';

/** A household's saving: every litre (or Wh) shrinks by `fraction × u`, u uniform in 0.6–1.4, from the date on, as in generate.ts. */
export interface DailySaving {
  fraction: number;
  from: LocalDate;
}

export interface DailyUseSpec {
  kind: DailyKind;
  households: number;
  /** First and last local date, both included. */
  from: LocalDate;
  to: LocalDate;
  seed: number;
  /** Which households save, by index (none without it). */
  saving?: (household: number) => DailySaving | undefined;
}

export interface DailyUseSeries {
  dates: LocalDate[];
  /** Per household, per date: litres (water) or Wh (gas). */
  use: number[][];
}

/**
 * The half-hourly noise of generate.ts's gas (log-normal, σ 0.3, 48 a day) averages over a day to
 * about σ 0.3 / √48 ≈ 0.045: one draw of that stands for the 48.
 */
const GAS_DAY_NOISE_SIGMA = 0.3 / Math.sqrt(48);
const gasDayNoiseMean = Math.exp((GAS_DAY_NOISE_SIGMA * GAS_DAY_NOISE_SIGMA) / 2);

interface SimulatedDay {
  date: LocalDate;
  weekend: boolean;
  weather: Weather;
}

export function simulateDailyUse(spec: DailyUseSpec): DailyUseSeries {
  const dates = dateRange(spec.from, spec.to);
  // One neighbourhood, one weather: every household sees the same days.
  const days: SimulatedDay[] = dates.map((date) => {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return { date, weekend: weekday === 0 || weekday === 6, weather: dailyWeather(spec.seed, date) };
  });
  const use: number[][] = [];
  for (let household = 0; household < spec.households; household++) {
    const random = new Random(`daily:${spec.kind}:${spec.seed}:${household}`);
    const occupants = random.weighted(occupantsMix);
    const propensity = random.logNormal(1, PROPENSITY_SIGMA);
    const dailyWh = spec.kind === 'gas' ? (annualEnergyKwh('gas', occupants, random) * 1000) / 365 : 0;
    const saving = spec.saving?.(household);
    use.push(
      days.map((day) => {
        // u is drawn whether or not the household saves, so a run without savings is the exact counterfactual.
        const factor = (u: number) => (saving && day.date >= saving.from ? 1 - saving.fraction * u : 1);
        if (spec.kind === 'gas') {
          const { hotWaterWh, heatingWh } = gasDayWh(dailyWh, day.weather.temperatureC);
          const noise = random.logNormal(1, GAS_DAY_NOISE_SIGMA) / gasDayNoiseMean;
          // One u for the day where generate.ts draws one per half hour: the day's saving varies more here.
          return (hotWaterWh + heatingWh) * noise * factor(random.uniform(0.6, 1.4));
        }
        let litres = 0;
        for (const type of waterEvents) {
          const count = random.poisson(eventsPerDay(type, occupants, day.weekend, day.weather) * propensity);
          for (let i = 0; i < count; i++) {
            const u = random.uniform(0.6, 1.4);
            litres += random.logNormal(type.litres.median, type.litres.sigma) * factor(u);
          }
        }
        return litres;
      }),
    );
  }
  return { dates, use };
}
