// npm run bench:poison — the adversarial ingest run as a script: 10,000 malformed messages of
// every kind in ingest/testing/malformed.ts (every poison that once stopped ingest among them),
// interleaved with 1,000 good ones, a flood of 3,000 valid statuses and 2,000 from two meters going on-
// and offline with every one, through a real broker into ingest and a real store. Prints,
// per target, how many good readings were stored, how many malformed messages were dead-lettered
// exactly once, missing or twice, and the longest time ingest sat on waiting messages.
//   BENCH_TARGETS=embedded,mosquitto-influx (default both; the second uses infra/services.sh)

import { mosquittoInfluxTarget, type PoisonResult, runPoison } from '../ingest/testing/poison-run.ts';
import { freshInfluxDatabase, freshPostgresDatabase } from '../testing/databases.ts';
import { obtainTestServices } from '../testing/services.ts';

const targets = (process.env.BENCH_TARGETS ?? 'embedded,mosquitto-influx').split(',');

function print(result: PoisonResult): void {
  const { good, malformed } = result;
  console.log(`\n${result.target} (${result.kinds} kinds of malformed message)`);
  console.log(`  good readings stored          ${good.stored} / ${good.sent}`);
  console.log(`  malformed, dead-lettered once ${malformed.deadLetteredOnce} / ${malformed.sent}`);
  console.log(`  missing / twice               ${malformed.missing} / ${malformed.duplicated}`);
  console.log(
    `  unexpected reasons            ${malformed.unexpectedReasons.length ? malformed.unexpectedReasons.join('; ') : 'none'}`,
  );
  const { statuses } = result;
  console.log(
    `  status flood                  ${statuses.sent} sent, ${statuses.stored} stored (at most ${statuses.storedAtMost}), ${statuses.metersWithStatus} meters with one`,
  );
  const { flapping } = result;
  console.log(
    `  flapping on and off           ${flapping.sent} sent, ${flapping.stored} stored (at most ${flapping.storedAtMost}), last state kept for ${flapping.lastStateKept} of ${flapping.meters} meters`,
  );
  console.log(`  OnTap's own failures          ${result.processingFailures}`);
  console.log(`  longest stall                 ${result.longestStallMs} ms`);
  console.log(`  elapsed                       ${(result.elapsedMs / 1000).toFixed(1)} s`);
  console.log(`  health                        ${result.health}`);
}

let failed = false;
const check = (result: PoisonResult) => {
  print(result);
  const clean =
    result.good.stored === result.good.sent &&
    result.malformed.deadLetteredOnce === result.malformed.sent &&
    result.malformed.duplicated === 0 &&
    result.malformed.unexpectedReasons.length === 0 &&
    result.statuses.stored <= result.statuses.storedAtMost &&
    result.flapping.stored <= result.flapping.storedAtMost &&
    result.flapping.lastStateKept === result.flapping.meters &&
    result.processingFailures === 0;
  if (!clean) failed = true;
};

if (targets.includes('embedded')) check(await runPoison({ kind: 'embedded' }));
if (targets.includes('mosquitto-influx')) {
  const { services, stop } = await obtainTestServices();
  const postgres = await freshPostgresDatabase(services.databaseUrl);
  const influx = await freshInfluxDatabase(services.influxUrl);
  try {
    check(await runPoison(mosquittoInfluxTarget(services, postgres.url, influx)));
  } finally {
    await postgres.drop();
    await influx.drop();
    await stop?.();
  }
}
process.exitCode = failed ? 1 : 0;
