// What to tell a resident when the API refuses: the rule's own words from the catalog, each field's
// problem beside the field, never the API's English.
import { ApiProblem, type FieldIssue } from '../api/client.ts';
import { hasMessage, t } from './i18n.ts';

export interface ErrorWording {
  /** For the form as a whole (the top of the form, a toast). */
  summary: string;
  /** Per field name (the body's top-level property): what is wrong with it. */
  fields: Record<string, string>;
}

function fieldWording(issue: FieldIssue, numeric: ReadonlySet<string>): string {
  const name = issue.field.split('.')[0] ?? issue.field;
  // A list's own problem (field "names") and one of its items' ("names.3") are worded apart.
  const specific = `field.${name}${/\.\d+/.test(issue.field) ? '.item' : ''}.${issue.code}`;
  if (hasMessage(specific)) return t(specific, issue.limit === undefined ? {} : { limit: issue.limit });
  if (hasMessage(`reason.${issue.code}`)) return t(`reason.${issue.code}` as Parameters<typeof t>[0]);
  if ((issue.code === 'too_small' || issue.code === 'too_big') && issue.limit !== undefined) {
    return t(numeric.has(name) ? `field.${issue.code}.number` : `field.${issue.code}`, { limit: issue.limit });
  }
  const general = `field.${issue.code}`;
  return hasMessage(general) ? t(general) : t('field.invalid_format');
}

/** `numeric` names the fields that hold numbers (their limits are values, not lengths). */
export function wordError(error: unknown, numeric: ReadonlySet<string> = new Set()): ErrorWording {
  if (!(error instanceof ApiProblem)) return { summary: t('error.generic'), fields: {} };
  const { body, status } = error;
  const fields: Record<string, string> = {};
  for (const issue of body.fields ?? []) {
    const name = issue.field.split('.')[0] || issue.field;
    fields[name] ??= fieldWording(issue, numeric);
  }
  const reasonKey = `reason.${body.reason ?? ''}`;
  const kindKey = `error.${status === 0 ? 'network' : body.error}`;
  const summary =
    body.reason === 'invalid_fields'
      ? t('error.invalid_fields')
      : hasMessage(reasonKey)
        ? t(reasonKey)
        : hasMessage(kindKey)
          ? t(kindKey)
          : t('error.generic');
  return { summary, fields };
}
