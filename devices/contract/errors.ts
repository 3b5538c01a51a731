// Why a device message was rejected. One code per reason, so dead letters and metrics can count
// them, and a resident checking a device gets a precise answer.
import { METER_ID_PATTERN } from './meter-ids.ts';

export const rejectionCodes = {
  BAD_TOPIC: 'the topic is not an OnTap meter topic',
  BAD_METER_ID: `the meter id does not match ${METER_ID_PATTERN.source}`,
  PAYLOAD_TOO_LARGE: 'the payload is larger than allowed',
  INVALID_JSON: 'the payload is not valid JSON',
  NOT_AN_OBJECT: 'a reading must be a JSON object (or an array of them)',
  EMPTY_BATCH: 'a batch must hold at least one reading',
  BATCH_TOO_LONG: 'the batch holds more readings than allowed',
  BAD_TIMESTAMP: 'ts must be an ISO-8601 string with a time zone or epoch milliseconds',
  TIMESTAMP_IN_FUTURE: 'ts is too far in the future',
  TIMESTAMP_TOO_OLD: 'ts is before 2000-01-01',
  UNKNOWN_KIND: 'kind must be water, electricity or gas',
  UNKNOWN_UNIT: 'unit must be L, m3, Wh or kWh',
  UNIT_NOT_FOR_KIND: 'the unit does not fit the kind of meter',
  BAD_REGISTER: 'register must be a number from 0 to 1e10 (in the unit sent)',
  BAD_DELTA: 'delta must be a number from 0 to 1e10 (in the unit sent)',
  REGISTER_AND_DELTA: 'send either register or delta, not both',
  NO_REGISTER_OR_DELTA: 'a reading needs register (cumulative index) or delta',
  BAD_SEQ: 'seq must be a whole number ≥ 0',
  BAD_STATUS: 'the status payload does not match { online, battery?, rssi? }',
  // Foreign device messages (bridges and `ontap decode`):
  PROFILE_INCOMPLETE: 'the device profile lacks a setting this family needs',
  NO_READING: 'the message carries no meter reading',
  STALE_RETAINED: 'a retained message without a device time may be stale',
  UNKNOWN_DEVICE_MODEL: 'the device model has no decoder here',
  // Found by ingest, beyond the payload itself:
  UNKNOWN_METER: 'the meter is not registered with OnTap',
  KIND_MISMATCH: 'the reading kind differs from the kind the meter is registered as',
  STORE_REJECTED: 'the readings store refused the reading',
  PROCESSING_FAILED: 'OnTap failed on this message (a fault of OnTap, not of the device; logged)',
} as const;

export type RejectionCode = keyof typeof rejectionCodes;

export class ContractError extends Error {
  readonly code: RejectionCode;
  constructor(code: RejectionCode, detail?: string) {
    super(detail ? `${rejectionCodes[code]}: ${detail}` : rejectionCodes[code]);
    this.name = 'ContractError';
    this.code = code;
  }
}
