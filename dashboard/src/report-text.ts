// The monthly water report in words: which sentence each figure gets, shared by the report page
// (report.ts) and the API's PDF (api/reports/home-report-pdf.ts), so paper and screen say the same.
// No DOM: the caller gives its catalog lookup and language.
import type { components } from './api/openapi.ts';
import type { MessageKey } from './i18n/en.ts';

export type HomeReport = components['schemas']['HomeReport'];
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export interface ReportBar {
  /** Which bar: the home's own, or the similar homes' typical or efficient figure. */
  kind: 'you' | 'typical' | 'efficient';
  label: string;
  litres: number;
  /** The litres as printed: "1,234". */
  text: string;
}

export interface ReportText {
  heading: string;
  home: string;
  figureAbout: string;
  /** "183 litres a day"; null without a figure. */
  figure: string | null;
  perPerson: string | null;
  /** Which days the figure is over (or why there is none). */
  days: string;
  /** Against the home's usual use; null when there is no figure to set against it. */
  usual: string | null;
  usualPeriod: string | null;
  /** Who the similar homes are, or why there is no comparison. */
  similar: string;
  bars: ReportBar[];
  cue: { kind: NonNullable<HomeReport['cue']>; title: string; body: string } | null;
  pledges: string[];
  tips: string[];
  about: string;
}

export function reportText(report: HomeReport, t: Translate, language: string): ReportText {
  const plural = new Intl.PluralRules(language);
  const tn = (key: string, count: number, values: Record<string, string | number> = {}) =>
    t(`${key}.${plural.select(count) === 'one' ? 'one' : 'other'}` as MessageKey, { count, ...values });
  const number = (value: number, digits = 0) =>
    new Intl.NumberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  const date = (isoDate: string) =>
    new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
      Date.parse(`${isoDate}T12:00:00Z`),
    );
  const month = new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.parse(`${report.month}-15T12:00:00Z`),
  );
  const { baseline, similarHomes } = report;

  const days =
    report.days === 0
      ? t('report.noDayYet')
      : report.litresPerDay === null
        ? t('report.noFigure')
        : tn(report.complete ? 'report.days' : 'report.daysSoFar', report.daysWithData, {
            from: date(report.from),
            to: date(report.to),
          });
  // In whole percent: under half a percent either way is "the same".
  const percent = Math.round(Math.abs(baseline.change ?? 0) * 100);
  const usual =
    baseline.litresPerDay === null
      ? t('report.usual.none')
      : baseline.change === null
        ? null
        : t(percent === 0 ? 'report.usual.same' : baseline.change < 0 ? 'report.usual.less' : 'report.usual.more', {
            value: number(percent),
            usual: number(baseline.litresPerDay),
          });
  const bar = (kind: ReportBar['kind'], litres: number | null): ReportBar[] =>
    litres === null ? [] : [{ kind, label: t(`report.similar.${kind}`), litres, text: number(litres) }];
  const tip = ({ id }: HomeReport['tips'][number]): string => {
    if (id === 'find_leaks') return t('report.tip.find_leaks', { share: number((report.pattern.nightShare ?? 0) * 100, 1) });
    if (id === 'water_garden_wisely') return tn('report.tip.water_garden_wisely', report.pattern.eveningPeaks);
    if (id === 'shorter_showers')
      return t('report.tip.shorter_showers', {
        litres: number(report.litresPerPersonPerDay ?? 0),
        target: report.litresPerPersonPerDayTarget,
      });
    return t(`report.tip.${id}`);
  };

  return {
    heading: t('report.heading', { month }),
    home: t('report.home', { alias: report.alias }),
    figureAbout: t('report.figureAbout', { month }),
    figure: report.litresPerDay === null ? null : t('report.figure', { litres: number(report.litresPerDay) }),
    perPerson:
      report.litresPerPersonPerDay === null
        ? null
        : t('report.perPerson', { litres: number(report.litresPerPersonPerDay), target: report.litresPerPersonPerDayTarget }),
    days,
    usual,
    usualPeriod:
      baseline.litresPerDay === null
        ? null
        : t(baseline.basis === 'challenge' ? 'report.usual.challenge' : 'report.usual.recent', {
            from: date(baseline.from),
            to: date(baseline.to),
            challenge: baseline.challenge ?? '',
          }),
    similar: tn(similarHomes.shown ? 'report.similar.about' : 'report.similar.none', similarHomes.occupants, {
      min: similarHomes.minimumHomes,
    }),
    bars: similarHomes.shown
      ? [...bar('you', report.litresPerDay), ...bar('typical', similarHomes.typical), ...bar('efficient', similarHomes.efficient)]
      : [],
    cue: report.cue ? { kind: report.cue, title: t(`report.cue.${report.cue}`), body: t(`report.cue.${report.cue}.body`) } : null,
    pledges: report.pledges.map((taken) =>
      t('report.pledges.in', {
        challenge: taken.challenge,
        pledges: taken.pledges.map((pledge) => t(`pledge.${pledge}`)).join('; '),
      }),
    ),
    tips: report.tips.map(tip),
    about: t('report.about'),
  };
}
