// The OnTap device contract: topics, payload schemas, units. Imported by ingest, simulators,
// the Node-RED nodes and the tests; never copied.
export * from './errors.ts';
export * from './identities.ts';
export * from './reading.ts';
export * from './status.ts';
export * from './topics.ts';
export * from './units.ts';
