// Every device family OnTap decodes. Adding one is a file in families/ and a line here.
import type { DeviceDefinition } from './definition.ts';
import { glow } from './families/glow.ts';
import { tasmotaCounter } from './families/tasmota.ts';

export const catalog: readonly DeviceDefinition[] = [tasmotaCounter, glow];

export function familyOf(name: string): DeviceDefinition | undefined {
  return catalog.find((definition) => definition.family === name);
}
