// Hourly/daily totals from readings: the part of ReadingStore.totals that both adapters share.
import { getOrCreate } from '../../lib/collections.ts';
import { localDate, localDayEdges, localHourEdges } from '../../lib/time.ts';
import type { ReadingStore, UsageQuery, UsageTotal } from './reading-store.ts';
import { bucketsWithData, spreadOverBuckets, usageIntervals } from './usage/intervals.ts';

export async function usageTotals(store: Pick<ReadingStore, 'seriesAround'>, query: UsageQuery): Promise<UsageTotal[]> {
  const edges =
    query.granularity === 'day'
      ? localDayEdges(query.from, query.to, query.timeZone)
      : localHourEdges(query.from, query.to, query.timeZone);
  const buckets = edges.length - 1;
  if (query.until !== undefined && buckets > 0 && query.until > (edges[buckets - 1] as number))
    edges[buckets] = Math.min(edges[buckets] as number, query.until);
  const series = await store.seriesAround(query.scope, query.kind, edges[0] as number, edges[buckets] as number);

  interface GroupState {
    use: number[];
    excluded: number[];
    /** household → per bucket: has data on any of its meters */
    households: Map<string, boolean[]>;
  }
  const groups = new Map<string, GroupState>();
  for (const { placement, points } of series) {
    const group = getOrCreate(groups, placement[query.groupBy], () => ({
      use: new Array(buckets).fill(0),
      excluded: new Array(buckets).fill(0),
      households: new Map<string, boolean[]>(),
    }));
    const spread = spreadOverBuckets(usageIntervals(query.kind, points), edges);
    const withData = bucketsWithData(points, edges);
    const household = getOrCreate(group.households, placement.household, () => new Array(buckets).fill(false));
    for (let b = 0; b < buckets; b++) {
      group.use[b] = (group.use[b] as number) + (spread.amount[b] as number);
      group.excluded[b] = (group.excluded[b] as number) + (spread.excluded[b] as number);
      if (withData[b]) household[b] = true;
    }
  }

  const totals: UsageTotal[] = [];
  for (const [name, group] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    for (let b = 0; b < buckets; b++) {
      let householdsWithData = 0;
      for (const flags of group.households.values()) if (flags[b]) householdsWithData++;
      const start = edges[b] as number;
      totals.push({
        group: name,
        start,
        end: edges[b + 1] as number,
        date: localDate(start, query.timeZone),
        use: group.use[b] as number,
        excluded: group.excluded[b] as number,
        householdsWithData,
        households: group.households.size,
      });
    }
  }
  return totals;
}
