// Every device family OnTap decodes. Adding one is a file in families/ and a line here.
import type { DeviceDefinition } from './definition.ts';
import { esphomePulseMeter } from './families/esphome.ts';
import { glow } from './families/glow.ts';
import { homeAssistantStatestream } from './families/home-assistant.ts';
import { tasmotaCounter } from './families/tasmota.ts';
import { theThingsStack } from './families/the-things-stack.ts';
import { wmbusmeters } from './families/wmbusmeters.ts';
import { zigbee2mqttWater } from './families/zigbee2mqtt.ts';

export const catalog: readonly DeviceDefinition[] = [
  tasmotaCounter,
  esphomePulseMeter,
  theThingsStack,
  glow,
  wmbusmeters,
  zigbee2mqttWater,
  homeAssistantStatestream,
];

export function familyOf(name: string): DeviceDefinition | undefined {
  return catalog.find((definition) => definition.family === name);
}

export const familyNames = () => catalog.map((definition) => definition.family);
