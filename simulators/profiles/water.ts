// Household water use built from events, calibrated to England's average of about 136.5 litres
// per person per day (2024/25) with a median household near 130. Figures per event come from
// Waterwise / Energy Saving Trust "At Home with Water" (2013) and Discover Water's
// per-capita-consumption series; see simulators/README.md.

/** When in the day an event tends to happen: weights per local hour 0–23. */
export type DiurnalShape = readonly number[];

// Morning (06–09) and evening (17–21) peaks; nights near zero.
const personalCare: DiurnalShape = [
  0.2, 0.1, 0.05, 0.05, 0.1, 0.6, 3.5, 6, 5, 2.2, 1.2, 0.9, 0.9, 0.8, 0.8, 0.9, 1.2, 1.8, 2.4, 2.6, 2.6, 2.4, 1.6, 0.7,
];
const kitchen: DiurnalShape = [
  0.1, 0.05, 0.05, 0.05, 0.05, 0.3, 1.5, 2.6, 2.4, 1.5, 1.2, 1.4, 2, 1.6, 1.1, 1.1, 1.5, 2.8, 3.6, 3.2, 2.4, 1.6, 0.8, 0.3,
];
const appliance: DiurnalShape = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.6, 1.4, 2.2, 2.4, 2.2, 1.8, 1.4, 1.2, 1.2, 1.3, 1.4, 1.6, 1.8, 2.2, 2.4, 2.2, 1.4, 0.5,
];
const evening: DiurnalShape = [
  0, 0, 0, 0, 0, 0, 0.2, 0.4, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.6, 1.6, 3, 3.4, 2.8, 1.2, 0.2, 0,
];
const daytime: DiurnalShape = [0, 0, 0, 0, 0, 0, 0, 0, 0.3, 0.8, 1.4, 1.6, 1.4, 1.4, 1.6, 1.6, 1.2, 0.8, 0.4, 0.2, 0, 0, 0, 0];

export interface WaterEventType {
  name: string;
  /** Expected events per day: per person, or per household when `perHousehold`. */
  ratePerDay: number;
  perHousehold?: boolean;
  /** Litres per event: median and log-normal spread. */
  litres: { median: number; sigma: number };
  /** Minutes the event lasts (volume is spread over it). */
  minutes: { min: number; max: number };
  shape: DiurnalShape;
  /** Multiplier on Saturdays and Sundays. */
  weekendFactor: number;
  /** Outdoor events depend on the weather (see weatherFactor). */
  outdoor?: 'garden' | 'car';
}

export const waterEvents: readonly WaterEventType[] = [
  {
    name: 'shower',
    ratePerDay: 0.75,
    litres: { median: 50, sigma: 0.35 },
    minutes: { min: 5, max: 12 },
    shape: personalCare,
    weekendFactor: 1.05,
  },
  {
    name: 'bath',
    ratePerDay: 0.1,
    litres: { median: 80, sigma: 0.2 },
    minutes: { min: 6, max: 10 },
    shape: evening,
    weekendFactor: 1.6,
  },
  {
    name: 'toilet',
    ratePerDay: 4.8,
    litres: { median: 5.5, sigma: 0.25 },
    minutes: { min: 1, max: 2 },
    shape: personalCare,
    weekendFactor: 1.15,
  },
  {
    name: 'basin tap',
    ratePerDay: 9,
    litres: { median: 1.6, sigma: 0.6 },
    minutes: { min: 1, max: 1 },
    shape: personalCare,
    weekendFactor: 1.1,
  },
  {
    name: 'kitchen tap',
    ratePerDay: 6,
    litres: { median: 2.6, sigma: 0.6 },
    minutes: { min: 1, max: 2 },
    shape: kitchen,
    weekendFactor: 1.2,
  },
  {
    name: 'washing up by hand',
    ratePerDay: 0.35,
    litres: { median: 9, sigma: 0.3 },
    minutes: { min: 2, max: 4 },
    shape: kitchen,
    weekendFactor: 1.2,
  },
  {
    name: 'washing machine',
    ratePerDay: 0.25,
    litres: { median: 50, sigma: 0.2 },
    minutes: { min: 30, max: 60 },
    shape: appliance,
    weekendFactor: 1.4,
  },
  {
    name: 'dishwasher',
    ratePerDay: 0.35,
    perHousehold: true,
    litres: { median: 12, sigma: 0.2 },
    minutes: { min: 20, max: 40 },
    shape: evening,
    weekendFactor: 1.1,
  },
  {
    name: 'garden watering',
    ratePerDay: 0.12,
    perHousehold: true,
    litres: { median: 90, sigma: 0.5 },
    minutes: { min: 10, max: 40 },
    shape: evening,
    weekendFactor: 1.8,
    outdoor: 'garden',
  },
  {
    name: 'car washing',
    ratePerDay: 0.03,
    perHousehold: true,
    litres: { median: 100, sigma: 0.4 },
    minutes: { min: 10, max: 25 },
    shape: daytime,
    weekendFactor: 4,
    outdoor: 'car',
  },
];

/** Fewer litres per person in larger households (shared appliances): single-person homes use the most. */
export function householdSizeFactor(occupants: number): number {
  return occupants ** -0.12;
}

/** Each household uses water with a log-normal propensity (median 1, this sigma): a realistic spread. */
export const PROPENSITY_SIGMA = 0.28;

/** Expected events of a type on a day, before the household's propensity. */
export function eventsPerDay(
  type: WaterEventType,
  occupants: number,
  weekend: boolean,
  weather: { temperatureC: number; rainMm: number },
): number {
  let rate = type.ratePerDay * (type.perHousehold ? 1 : occupants * householdSizeFactor(occupants));
  if (weekend) rate *= type.weekendFactor;
  if (type.outdoor) rate *= weatherFactor(type.outdoor, weather);
  return rate;
}

/** Outdoor use: none in cold or wet weather, much more on hot dry summer days. */
export function weatherFactor(kind: 'garden' | 'car', weather: { temperatureC: number; rainMm: number }): number {
  if (kind === 'car') return weather.rainMm > 1 ? 0.2 : 1;
  if (weather.rainMm > 2) return 0;
  const warmth = Math.max(0, weather.temperatureC - 12) / 10;
  return warmth * warmth * (weather.rainMm > 0.2 ? 0.4 : 1);
}
