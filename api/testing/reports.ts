// Swift's February 2026 report, as worked out by hand in api/routes/households/reports.test.ts
// (which expects it from the API) and drawn by api/reports/home-report-pdf.test.ts.
import type { HomeReportBody } from '../schemas/reports.ts';

export const swiftFebruary: HomeReportBody = {
  month: '2026-02',
  alias: 'Swift',
  occupants: 2,
  timeZone: 'Europe/London',
  firstMonth: '2026-01',
  currentMonth: '2026-03',
  from: '2026-02-01',
  to: '2026-02-28',
  complete: true,
  days: 28,
  daysWithData: 28,
  litresPerDay: 300,
  litresPerPersonPerDay: 150,
  litresPerPersonPerDayTarget: 110,
  baseline: { from: '2025-12-29', to: '2026-01-25', basis: 'recent', challenge: null, litresPerDay: 240, change: 0.25 },
  similarHomes: { occupants: 2, minimumHomes: 5, shown: true, typical: 240, efficient: 190 },
  cue: 'above',
  pledges: [{ challenge: 'Spring', pledges: ['shorter_showers', 'water_butt'] }],
  pattern: { nightShare: 0.167, eveningPeaks: 0, warmMonth: false },
  tips: [
    { id: 'find_leaks', reason: 'night_use' },
    { id: 'shorter_showers', reason: 'high_use_per_person' },
  ],
};
