import { describe, expect, it } from 'vitest';
import { deviceValueToBase, GAS_WH_PER_M3, toBaseUnit, unitFitsKind } from './units.ts';

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
  it('converts what devices count in by the units’ definitions (hand-computed)', () => {
    expect(deviceValueToBase('water', 'gal', 10)).toBeCloseTo(37.85411784, 9); // 231 in³ = 3.785411784 L
    expect(deviceValueToBase('water', 'ft3', 1)).toBeCloseTo(28.316846592, 9); // 0.3048³ m³
    expect(deviceValueToBase('water', 'CCF', 1)).toBeCloseTo(2831.6846592, 7);
    expect(deviceValueToBase('gas', 'MCF', 1)).toBeCloseTo(28.316846592 * 11220.633333, 1); // ≈ 317,733 Wh
    expect(deviceValueToBase('electricity', 'MWh', 1.5)).toBe(1_500_000);
    expect(deviceValueToBase('water', 'm3', 2)).toBe(2000);
    expect(() => deviceValueToBase('gas', 'gal', 1)).toThrow('unit gal does not fit a gas meter');
    expect(() => deviceValueToBase('water', 'MWh', 1)).toThrow('unit MWh does not fit a water meter');
  });
});
