// A household's monthly water report (issue 15, docs/home-report.md): as JSON for its page, and as
// a one-page A4 PDF to print or keep. Same access as every route of the household's own data.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { homeReportPdf } from '../../reports/home-report-pdf.ts';
import { errorSchema } from '../../schemas/common.ts';
import { homeReportSchema, reportParamsSchema as params } from '../../schemas/reports.ts';
import { householdReport } from '../../services/home-reports.ts';
import { householdOf } from '../../services/households.ts';

const ownData = { roles: ['household', 'admin'] as const };

const ABOUT =
  'Only the current month (its days so far, today left out) or an earlier one, from the month of the household’s first water reading: a later month is a 400 `month_in_future`, an earlier one a 404 `before_first_reading` (`no_readings` before any).';

const householdReportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, now } = app.ontap;

  app.get(
    '/:householdId/reports/:month',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description: `The household's water report for a month (YYYY-MM): litres a day against its usual use and against similar homes (the median and 20th percentile of homes of the neighbourhood with as many people that consent to research, from at least ONTAP_AGGREGATE_MIN_HOUSEHOLDS of them, to the nearest 10 L), a cue, its pledges and tips picked from its pattern. ${ABOUT}`,
        params,
        response: { 200: homeReportSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const household = await householdOf(db, request.params.householdId);
      return householdReport(app.ontap, household, request.params.month, now());
    },
  );

  app.get(
    '/:householdId/reports/:month.pdf',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description: `The same report as one A4 page of PDF (application/pdf, downloaded as ontap-report-YYYY-MM.pdf); a refusal is the usual JSON error. ${ABOUT}`,
        params,
      },
    },
    async (request, reply) => {
      const { householdId, month } = request.params;
      const report = await householdReport(app.ontap, await householdOf(db, householdId), month, now());
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="ontap-report-${month}.pdf"`)
        .send(await homeReportPdf(report));
    },
  );
};

export default householdReportRoutes;
