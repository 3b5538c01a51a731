// The simulator's API: build a neighbourhood, generate its messages into a sink.
import { generateMessages, type MessageSink } from './generate.ts';
import { buildManifest, type Manifest } from './manifest.ts';
import { type SimulationSpec, type SimulationSpecInput, simulationSpecSchema } from './spec.ts';

export type { Manifest, MessageSink, SimulationSpec, SimulationSpecInput };
export { buildManifest, generateMessages, simulationSpecSchema };

export interface CollectedMessage {
  topic: string;
  payload: string;
  at: number;
  isJson: boolean;
}

/** Runs a whole simulation into memory (tests, small demos). */
export async function simulateToArray(
  input: SimulationSpecInput,
): Promise<{ spec: SimulationSpec; manifest: Manifest; messages: CollectedMessage[] }> {
  const spec = simulationSpecSchema.parse(input);
  const manifest = buildManifest(spec);
  const messages: CollectedMessage[] = [];
  await generateMessages(spec, manifest, {
    message: (topic, payload, at, isJson) => messages.push({ topic, payload, at, isJson }),
  });
  return { spec, manifest, messages };
}
