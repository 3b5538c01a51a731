// npm run bench:start — how long `ontap start` takes on a fresh data dir, as a person runs it
// (`npm start`, the demo on): until it is running with its sign-ins printed (target < 10 s), and
// until the demo's history is in. Median of BENCH_RUNS (default 3).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnOntapStart } from '../testing/ontap-start.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const ready: number[] = [];
const history: number[] = [];
for (let run = 1; run <= runs; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ontap-bench-start-'));
  const started = performance.now();
  const ontap = await spawnOntapStart({ ONTAP_DATA_DIR: dataDir, ONTAP_LOG_LEVEL: 'info' });
  ready.push((performance.now() - started) / 1000);
  if (!/Demo sign-ins/.test(ontap.banner)) throw new Error(`no sign-ins printed:\n${ontap.banner}`);
  await ontap.printed.waitFor(/Demo history is in/, 'the demo history', 120_000);
  history.push((performance.now() - started) / 1000);
  await ontap.stop();
  rmSync(dataDir, { recursive: true, force: true });
  console.log(
    `run ${run}/${runs}: running with sign-ins after ${ready.at(-1)?.toFixed(1)} s, history in after ${history.at(-1)?.toFixed(1)} s`,
  );
}
console.log(`\nontap start on a fresh data dir, median of ${runs}:`);
console.log(`  running, sign-ins printed  ${median(ready).toFixed(1)} s  (< 10)`);
console.log(`  demo history in            ${median(history).toFixed(1)} s`);
