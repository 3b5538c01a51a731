// V8 flags ingest runs with (npm run ingest, the tests, the benchmark, the compose file). On a
// machine with lots of memory V8 lets the heap grow to hundreds of MB before collecting; ingest's
// live data is small (meters, one batch), so a small heap keeps RSS under 200 MB for a few % of CPU.
export const INGEST_NODE_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=2'] as const;
