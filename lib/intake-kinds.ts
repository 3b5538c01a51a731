// The ways ingest can read an external broker (ONTAP_INGEST_INTAKE). Listed here, below both the
// configuration that validates the choice and the ingest that acts on it.
export const mqttIntakeKinds = ['paced', 'mqttjs'] as const;
export type MqttIntakeKind = (typeof mqttIntakeKinds)[number];
