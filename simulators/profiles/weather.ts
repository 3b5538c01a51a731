// A neighbourhood's daily weather, shared by all its households: a seasonal temperature curve for
// southern England (daily mean ≈ 5 °C in January, ≈ 18 °C in July) with day-to-day noise, and rain.
import { Random } from '../../lib/random.ts';

export interface Weather {
  temperatureC: number;
  rainMm: number;
}

export function dailyWeather(seed: number, date: string): Weather {
  const random = new Random(`weather:${seed}:${date}`);
  const dayOfYear = dayOfYearOf(date);
  const seasonal = 11.5 - 6.5 * Math.cos((2 * Math.PI * (dayOfYear - 20)) / 365);
  const temperatureC = seasonal + random.normal(0, 2.5);
  // About 45% of days have rain, less in summer.
  const wetChance = 0.5 - 0.12 * Math.sin((2 * Math.PI * (dayOfYear - 100)) / 365);
  const rainMm = random.chance(wetChance) ? random.logNormal(3, 0.9) : 0;
  return { temperatureC, rainMm };
}

export function dayOfYearOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.floor((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86400000) + 1;
}
