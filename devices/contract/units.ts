// Units of the device contract and their conversion to OnTap's base units:
// litres for water, watt-hours for electricity and gas.
export const meterKinds = ['water', 'electricity', 'gas'] as const;
export type MeterKind = (typeof meterKinds)[number];

export const units = ['L', 'm3', 'Wh', 'kWh'] as const;
export type Unit = (typeof units)[number];

/** What OnTap stores and computes in: litres and watt-hours. */
export const baseUnits = ['L', 'Wh'] as const;
export type BaseUnit = (typeof baseUnits)[number];

export const baseUnitOf: Record<MeterKind, BaseUnit> = { water: 'L', electricity: 'Wh', gas: 'Wh' };

/**
 * What a device may count in: a unit, a foreign unit that is an exact multiple of one, or pulses
 * of a size its profile gives. Only devices count in foreign units; a native reading says L, m3,
 * Wh or kWh.
 */
export const deviceUnits = [...units, 'gal', 'ft3', 'CCF', 'MCF', 'MWh', 'pulses'] as const;
export type DeviceUnit = (typeof deviceUnits)[number];
type ForeignUnit = Exclude<DeviceUnit, Unit | 'pulses'>;

/**
 * Foreign units by definition: the US gallon is 231 in³ (3.785411784 L), the cubic foot 0.3048³ m³;
 * CCF and MCF are 100 and 1000 ft³ (Home Assistant's water and gas units).
 */
const foreignUnits: Record<ForeignUnit, { unit: Unit; factor: number }> = {
  gal: { unit: 'L', factor: 3.785411784 },
  ft3: { unit: 'm3', factor: 0.028316846592 },
  CCF: { unit: 'm3', factor: 2.8316846592 },
  MCF: { unit: 'm3', factor: 28.316846592 },
  MWh: { unit: 'kWh', factor: 1000 },
};

/**
 * Gas volume to energy by the UK convention (Gas (Calculation of Thermal Energy) Regulations):
 * kWh = m3 × volume correction 1.02264 × calorific value (≈ 39.5 MJ/m3) ÷ 3.6.
 */
export const GAS_CALORIFIC_VALUE_MJ_PER_M3 = 39.5;
export const GAS_VOLUME_CORRECTION = 1.02264;
export const GAS_WH_PER_M3 = (GAS_VOLUME_CORRECTION * GAS_CALORIFIC_VALUE_MJ_PER_M3 * 1000) / 3.6;

/** Factor from `unit` to the base unit of `kind`; undefined when the unit does not fit the kind. */
const toBase: Record<MeterKind, Partial<Record<Unit, number>>> = {
  water: { L: 1, m3: 1000 },
  electricity: { Wh: 1, kWh: 1000 },
  gas: { m3: GAS_WH_PER_M3, kWh: 1000, Wh: 1 },
};

export function unitFitsKind(kind: MeterKind, unit: Unit): boolean {
  return toBase[kind][unit] !== undefined;
}

export function toBaseUnit(kind: MeterKind, unit: Unit, value: number): number {
  const factor = toBase[kind][unit];
  if (factor === undefined) throw new RangeError(`unit ${unit} does not fit a ${kind} meter`);
  return value * factor;
}

/** A device's value in the base unit of `kind`; throws, as toBaseUnit does, when the unit does not fit. */
export function deviceValueToBase(kind: MeterKind, unit: Exclude<DeviceUnit, 'pulses'>, value: number): number {
  if (!Object.hasOwn(foreignUnits, unit)) return toBaseUnit(kind, unit as Unit, value);
  const foreign = foreignUnits[unit as ForeignUnit];
  if (!unitFitsKind(kind, foreign.unit)) throw new RangeError(`unit ${unit} does not fit a ${kind} meter`);
  return toBaseUnit(kind, foreign.unit, value * foreign.factor);
}
