// Test helper: decode one message of a family through the shared rules, as ingest does.
import { type DeviceDefinition, type DeviceProfileInput, decodeDeviceMessage, deviceProfileSchema } from '../definition.ts';

export function decoderFor(definition: DeviceDefinition, profile: DeviceProfileInput) {
  const parsed = deviceProfileSchema.parse(profile);
  return (topic: string, payload: string, receivedAt = 0, retained = false) =>
    decodeDeviceMessage(definition, topic, payload, parsed, { receivedAt, retained });
}

/** The codes of a result's rejections. */
export const codes = (result: { rejected: { code: string }[] }) => result.rejected.map((r) => r.code);
