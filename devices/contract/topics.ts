// MQTT topics of the device contract: ontap/v1/meters/{meterId}/readings and …/status.
import { ContractError } from './errors.ts';
import { isValidMeterId } from './meter-ids.ts';

export { isValidMeterId, METER_ID_PATTERN } from './meter-ids.ts';

export const TOPIC_PREFIX = 'ontap/v1/meters';

export type MeterTopicKind = 'readings' | 'status';

/** Subscriptions that cover every meter's messages of one kind. */
export const allMetersTopic = (kind: MeterTopicKind) => `${TOPIC_PREFIX}/+/${kind}`;

export function meterTopic(meterId: string, kind: MeterTopicKind): string {
  if (!isValidMeterId(meterId)) throw new ContractError('BAD_METER_ID', JSON.stringify(meterId));
  return `${TOPIC_PREFIX}/${meterId}/${kind}`;
}

/** The topic filter a meter may publish under (and nothing else). */
export function meterPublishFilter(meterId: string): string {
  if (!isValidMeterId(meterId)) throw new ContractError('BAD_METER_ID', JSON.stringify(meterId));
  return `${TOPIC_PREFIX}/${meterId}/#`;
}

/** What every meter topic starts with (one flat string: ingest compares it a hundred thousand times a second). */
export const METER_TOPIC_START = `${TOPIC_PREFIX}/`;

export function parseMeterTopic(topic: string): { meterId: string; kind: MeterTopicKind } {
  const idEnd = topic.indexOf('/', METER_TOPIC_START.length);
  if (!topic.startsWith(METER_TOPIC_START) || idEnd < 0) throw new ContractError('BAD_TOPIC', JSON.stringify(topic));
  const meterId = topic.slice(METER_TOPIC_START.length, idEnd);
  const kind = topicKindAt(topic, idEnd + 1);
  if (!kind) throw new ContractError('BAD_TOPIC', JSON.stringify(topic));
  if (!isValidMeterId(meterId)) throw new ContractError('BAD_METER_ID', JSON.stringify(meterId));
  return { meterId, kind };
}

/** The kind a topic ends with from `start` on, compared in place (no substring per message). */
function topicKindAt(topic: string, start: number): MeterTopicKind | undefined {
  for (const kind of ['readings', 'status'] as const) {
    if (topic.length - start === kind.length && topic.startsWith(kind, start)) return kind;
  }
  return undefined;
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
