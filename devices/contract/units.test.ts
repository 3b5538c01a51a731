import { describe, expect, it } from 'vitest';
import { GAS_WH_PER_M3, toBaseUnit, unitFitsKind } from './units.ts';

describe('units', () => {
  it('converts to base units (hand-computed)', () => {
    expect(toBaseUnit('water', 'm3', 1.5)).toBe(1500);
    expect(toBaseUnit('water', 'L', 7)).toBe(7);
    expect(toBaseUnit('electricity', 'kWh', 2.5)).toBe(2500);
    expect(toBaseUnit('gas', 'kWh', 1)).toBe(1000);
    // 1.02264 × 39.5 ÷ 3.6 = 11.22063… kWh per m3
    expect(GAS_WH_PER_M3).toBeCloseTo(11220.63, 2);
    expect(toBaseUnit('gas', 'm3', 2)).toBeCloseTo(22441.27, 2);
  });
  it('knows which units fit which meters', () => {
    expect(unitFitsKind('water', 'Wh')).toBe(false);
    expect(unitFitsKind('electricity', 'm3')).toBe(false);
    expect(unitFitsKind('gas', 'm3')).toBe(true);
    expect(() => toBaseUnit('water', 'kWh', 1)).toThrow(/does not fit a water meter/);
  });
});
