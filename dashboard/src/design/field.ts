// A form field: label, hint and problem tied to the input (aria-describedby, aria-invalid), in
// the shadow root of the form that uses it, so label and input stay together for assistive tech.
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

export interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'date';
  value?: string;
  hint?: string;
  /** What is wrong with the value, in the reader's words (i18n/errors.ts). */
  problem?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  min?: number;
  max?: number;
  minlength?: number;
  maxlength?: number;
}

export function field(options: FieldOptions): TemplateResult {
  const id = `field-${options.name}`;
  const described = [options.hint ? `${id}-hint` : '', options.problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for=${id}>${options.label}</label>
    ${options.hint ? html`<span class="hint" id="${id}-hint">${options.hint}</span>` : nothing}
    <input
      id=${id}
      name=${options.name}
      type=${options.type ?? 'text'}
      .value=${options.value ?? ''}
      ?required=${options.required ?? false}
      autocomplete=${ifDefined(options.autocomplete)}
      min=${ifDefined(options.min)}
      max=${ifDefined(options.max)}
      minlength=${ifDefined(options.minlength)}
      maxlength=${ifDefined(options.maxlength)}
      aria-invalid=${options.problem ? 'true' : 'false'}
      aria-describedby=${ifDefined(described || undefined)}
    />
    ${options.problem ? html`<span class="problem" id="${id}-problem">${options.problem}</span>` : nothing}
  </div>`;
}

/** The form's values by field name: trimmed, except passwords (a space may be part of one). */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== 'string') continue;
    const input = form.elements.namedItem(name);
    values[name] = input instanceof HTMLInputElement && input.type === 'password' ? value : value.trim();
  }
  return values;
}

/** A choice from a list, with the same label, hint and problem wiring as field(). */
export function selectField(
  options: Pick<FieldOptions, 'name' | 'label' | 'hint' | 'problem' | 'value'> & {
    choices: readonly { value: string; label: string }[];
    onChange?: (event: Event) => void;
  },
): TemplateResult {
  const id = `field-${options.name}`;
  const described = [options.hint ? `${id}-hint` : '', options.problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for=${id}>${options.label}</label>
    ${options.hint ? html`<span class="hint" id="${id}-hint">${options.hint}</span>` : nothing}
    <select
      id=${id}
      name=${options.name}
      aria-invalid=${options.problem ? 'true' : 'false'}
      aria-describedby=${ifDefined(described || undefined)}
      @change=${options.onChange ?? (() => {})}
    >
      ${options.choices.map(
        (choice) => html`<option value=${choice.value} ?selected=${choice.value === options.value}>${choice.label}</option>`,
      )}
    </select>
    ${options.problem ? html`<span class="problem" id="${id}-problem">${options.problem}</span>` : nothing}
  </div>`;
}
