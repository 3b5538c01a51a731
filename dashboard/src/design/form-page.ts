// What every page with a form shares: the wording of a refusal (a summary at the top, focused so
// it is read, and each field's problem beside it) and a busy state while the API answers.
import { html, LitElement, nothing } from 'lit';
import { type ErrorWording, wordError } from '../i18n/errors.ts';

/** A problem the form finds itself before asking the API (nothing chosen, say), in the reader's words. */
export class FormProblem extends Error {}

export class FormPage extends LitElement {
  static override properties = { problem: { state: true }, busy: { state: true } };
  declare problem: ErrorWording | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.problem = undefined;
    this.busy = false;
  }

  /** Runs `action` with the form busy; a refusal is worded and shown, and the summary focused. */
  protected async attempt(action: () => Promise<void>, numericFields: ReadonlySet<string> = new Set()) {
    this.busy = true;
    this.problem = undefined;
    try {
      await action();
    } catch (error) {
      this.problem = error instanceof FormProblem ? { summary: error.message, fields: {} } : wordError(error, numericFields);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.alert')?.focus();
    } finally {
      this.busy = false;
    }
  }

  protected fieldProblem(name: string): string | undefined {
    return this.problem?.fields[name];
  }

  protected summary() {
    return this.problem ? html`<p class="alert" role="alert" tabindex="-1">${this.problem.summary}</p>` : nothing;
  }
}
