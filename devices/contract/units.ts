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

/** What a device may count in: a unit, or pulses of a size its profile gives. */
export const deviceUnits = [...units, 'pulses'] as const;

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
