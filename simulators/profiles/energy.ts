// Electricity and gas: a daily and seasonal shape scaled to Ofgem's Typical Domestic Consumption
// Values (from April 2024): electricity low/medium/high 1,800 / 2,700 / 4,100 kWh a year; gas
// 7,500 / 11,500 / 17,000 kWh a year. See simulators/README.md.
import type { Random } from '../../lib/random.ts';

export const electricityTdcvKwhPerYear = { low: 1800, medium: 2700, high: 4100 } as const;
export const gasTdcvKwhPerYear = { low: 7500, medium: 11500, high: 17000 } as const;

// Relative electricity demand per local hour: a base load overnight, a morning rise, the
// evening peak (cooking, lighting, TV) at 17–21.
export const electricityShape = [
  0.55, 0.5, 0.47, 0.46, 0.46, 0.5, 0.75, 1.05, 1.05, 0.95, 0.9, 0.92, 0.98, 0.92, 0.88, 0.92, 1.1, 1.5, 1.8, 1.75, 1.55, 1.3,
  1.0, 0.72,
];
// Gas: space heating on a timer (06–09 and 16–22) plus hot water.
export const gasHeatingShape = [
  0.05, 0.05, 0.05, 0.05, 0.1, 0.6, 2.2, 2.0, 1.2, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.5, 1.4, 1.9, 2.0, 1.9, 1.7, 1.4, 0.6, 0.1,
];
export const gasHotWaterShape = [
  0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 2.2, 2.8, 1.8, 0.8, 0.6, 0.6, 0.7, 0.6, 0.5, 0.6, 0.8, 1.3, 1.6, 1.5, 1.3, 1.0, 0.6, 0.3,
];

/** Electricity by season: more lighting in winter (about ±18% around the mean, peak mid-January). */
export function electricitySeasonFactor(dayOfYear: number): number {
  return 1 + 0.18 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365);
}

/** Heating degree-days below 15.5 °C, the UK base temperature. */
export function heatingDegrees(temperatureC: number): number {
  return Math.max(0, 15.5 - temperatureC);
}

/** A household's kWh a year: the TDCV band its size suggests, with a log-normal spread between homes. */
export function annualEnergyKwh(kind: 'electricity' | 'gas', occupants: number, random: Random): number {
  const tdcv = kind === 'electricity' ? electricityTdcvKwhPerYear : gasTdcvKwhPerYear;
  const base =
    occupants === 1 ? tdcv.low : occupants <= 3 ? tdcv.medium * (0.85 + 0.1 * occupants) : tdcv.high * (0.9 + 0.05 * occupants);
  return base * random.logNormal(1, 0.25);
}

/**
 * A day's gas: 22% of the mean day heats water whatever the weather; the other 78% of the year's
 * gas heats the home, spread over ≈ 2,100 heating degree-days a year in southern England.
 */
export function gasDayWh(dailyWh: number, temperatureC: number): { hotWaterWh: number; heatingWh: number } {
  return { hotWaterWh: dailyWh * 0.22, heatingWh: ((dailyWh * 365 * 0.78) / 2100) * heatingDegrees(temperatureC) };
}
