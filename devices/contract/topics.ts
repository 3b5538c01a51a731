// MQTT topics of the device contract: ontap/v1/meters/{meterId}/readings and …/status.
import { ContractError } from './errors.ts';

export const TOPIC_PREFIX = 'ontap/v1/meters';
export const METER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type MeterTopicKind = 'readings' | 'status';

/** Subscriptions that cover every meter's messages of one kind. */
export const allMetersTopic = (kind: MeterTopicKind) => `${TOPIC_PREFIX}/+/${kind}`;

export function isValidMeterId(meterId: string): boolean {
  return METER_ID_PATTERN.test(meterId);
}

export function meterTopic(meterId: string, kind: MeterTopicKind): string {
  if (!isValidMeterId(meterId)) throw new ContractError('BAD_METER_ID', JSON.stringify(meterId));
  return `${TOPIC_PREFIX}/${meterId}/${kind}`;
}

/** The topic filter a meter may publish under (and nothing else). */
export function meterPublishFilter(meterId: string): string {
  if (!isValidMeterId(meterId)) throw new ContractError('BAD_METER_ID', JSON.stringify(meterId));
  return `${TOPIC_PREFIX}/${meterId}/#`;
}

export function parseMeterTopic(topic: string): { meterId: string; kind: MeterTopicKind } {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}/${parts[2]}` !== TOPIC_PREFIX) {
    throw new ContractError('BAD_TOPIC', JSON.stringify(topic));
  }
  const meterId = parts[3] as string;
  const kind = parts[4];
  if (kind !== 'readings' && kind !== 'status') throw new ContractError('BAD_TOPIC', JSON.stringify(topic));
  if (!isValidMeterId(meterId)) throw new ContractError('BAD_METER_ID', JSON.stringify(meterId));
  return { meterId, kind };
}

/** Whether an MQTT topic filter (+ one level, # the rest) covers a topic. */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  const levels = filter.split('/');
  const parts = topic.split('/');
  for (let i = 0; i < levels.length; i++) {
    if (levels[i] === '#') return true;
    if (i >= parts.length || (levels[i] !== '+' && levels[i] !== parts[i])) return false;
  }
  return levels.length === parts.length;
}
