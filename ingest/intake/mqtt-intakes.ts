// The MQTT intakes to choose from (ONTAP_INGEST_INTAKE): `paced`, ingest's own subscriber and
// the default, or `mqttjs`.
import { type MqttIntakeKind, mqttIntakeKinds } from '../../lib/intake-kinds.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Intake } from './intake.ts';
import type { MqttIntakeOptions } from './mqtt-options.ts';
import { MqttJsIntake } from './mqttjs-intake.ts';
import { PacedIntake } from './paced-intake.ts';

export { type MqttIntakeKind, mqttIntakeKinds };

export function createMqttIntake(kind: MqttIntakeKind, options: MqttIntakeOptions, logger: Logger): Intake {
  return kind === 'mqttjs' ? new MqttJsIntake(options, logger) : new PacedIntake(options, logger);
}
