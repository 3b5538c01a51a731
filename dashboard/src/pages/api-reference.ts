// The API reference (/docs): every route of the OpenAPI document (/docs/json) as plain, structured
// HTML — headings per area and operation, parameters and fields as lists with their types — so it
// reads with a screen reader and a keyboard as well as with eyes. The JSON is the source of truth.
import '../page.css';
import '../design/app-shell.ts';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { type Load, loadState } from '../design/load-state.ts';
import { base, tokens } from '../design/tokens.ts';
import type { MessageKey } from '../i18n/en.ts';
import { t } from '../i18n/i18n.ts';

interface Schema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  description?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Operation {
  tags?: string[];
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApi {
  info: { title: string; version: string; description?: string };
  components?: { schemas?: Record<string, Schema> };
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** How deep nested fields are listed (deeper ones are named by type only). */
const MAX_DEPTH = 4;

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export class ApiReferencePage extends LitElement {
  static override properties = { doc: { state: true } };
  declare doc: Load<OpenApi>;

  constructor() {
    super();
    this.doc = { state: 'loading' };
  }

  static override styles = [
    tokens,
    base,
    css`
      /* Paths, field names and enum lists are long words: they wrap rather than widen a phone's page. */
      :host {
        overflow-wrap: anywhere;
      }
      .method {
        display: inline-block;
        min-width: 4.2rem;
        font-family: ui-monospace, monospace;
        font-weight: 700;
        color: var(--brand-dark);
      }
      h3 {
        font-size: 1.05rem;
        overflow-wrap: anywhere;
        margin-top: 1.25rem;
      }
      h4 {
        margin: 0.75rem 0 0.25rem;
        font-size: 0.95rem;
      }
      code {
        font-family: ui-monospace, monospace;
        overflow-wrap: anywhere;
      }
      ul.fields {
        margin: 0.25rem 0;
        padding-left: 1.2rem;
      }
      .type {
        color: var(--muted);
      }
      nav ul {
        columns: 14rem;
        padding-left: 1.2rem;
      }
      .operation + .operation {
        border-top: 1px solid var(--line);
      }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    document.title = `${t('docs.title')} – ${t('app.name')}`;
    void this.#load();
  }

  async #load() {
    try {
      const response = await fetch('/docs/json');
      if (!response.ok) throw new Error(String(response.status));
      this.doc = { state: 'ready', data: (await response.json()) as OpenApi };
    } catch {
      this.doc = { state: 'error', message: t('error.generic') };
    }
  }

  #resolve(doc: OpenApi, schema: Schema | undefined): Schema {
    if (!schema?.$ref) return schema ?? {};
    const name = schema.$ref.split('/').pop() ?? '';
    return doc.components?.schemas?.[name] ?? {};
  }

  /** "string, one of a | b, nullable": a schema's type in words. */
  #typeOf(doc: OpenApi, raw: Schema | undefined): string {
    const schema = this.#resolve(doc, raw);
    const variants = schema.anyOf ?? schema.oneOf;
    if (variants) {
      const types = variants.map((variant) => this.#typeOf(doc, variant));
      return [...new Set(types)].join(t('docs.or'));
    }
    let type = Array.isArray(schema.type) ? schema.type.join(t('docs.or')) : (schema.type ?? t('docs.any'));
    if (type === 'array') type = t('docs.arrayOf', { type: this.#typeOf(doc, schema.items) });
    if (schema.format) type += ` (${schema.format})`;
    if (schema.enum) type += t('docs.oneOf', { values: schema.enum.map((value) => JSON.stringify(value)).join(' | ') });
    if (schema.minimum !== undefined) type += t('docs.atLeast', { limit: schema.minimum });
    if (schema.maximum !== undefined) type += t('docs.atMost', { limit: schema.maximum });
    if (schema.maxLength !== undefined) type += t('docs.maxLength', { limit: schema.maxLength });
    if (schema.nullable) type += t('docs.orNull');
    return type;
  }

  /** A schema's fields as a nested list (an array's items' fields, an object's properties). */
  #fields(doc: OpenApi, raw: Schema | undefined, depth = 0): TemplateResult | typeof nothing {
    let schema = this.#resolve(doc, raw);
    if (schema.type === 'array') schema = this.#resolve(doc, schema.items);
    const variant = (schema.anyOf ?? schema.oneOf)?.map((one) => this.#resolve(doc, one)).find((one) => one.properties);
    if (variant) schema = variant;
    if (!schema.properties || depth >= MAX_DEPTH) return nothing;
    const required = new Set(schema.required ?? []);
    return html`<ul class="fields">
      ${Object.entries(schema.properties).map(
        ([name, property]) => html`<li>
          <code>${name}</code>
          <span class="type">${this.#typeOf(doc, property)}${required.has(name) ? '' : `, ${t('docs.optional')}`}</span>
          ${this.#resolve(doc, property).description ? html`: ${this.#resolve(doc, property).description}` : nothing}
          ${this.#fields(doc, property, depth + 1)}
        </li>`,
      )}
    </ul>`;
  }

  #operation(doc: OpenApi, method: string, path: string, operation: Operation) {
    const body = operation.requestBody?.content?.['application/json']?.schema;
    const parameters = operation.parameters ?? [];
    return html`<div class="operation">
      <h3 id=${slug(`${method} ${path}`)}><span class="method">${method.toUpperCase()}</span> <code>${path}</code></h3>
      ${operation.description ? html`<p>${operation.description}</p>` : nothing}
      ${
        parameters.length > 0
          ? html`<h4>${t('docs.parameters')}</h4>
            <ul class="fields">
              ${parameters.map(
                (parameter) => html`<li>
                  <code>${parameter.name}</code>
                  <span class="type">(${t(`docs.in.${parameter.in}` as MessageKey)}) ${this.#typeOf(doc, parameter.schema)}${parameter.required ? '' : `, ${t('docs.optional')}`}</span>
                  ${parameter.description ? html`: ${parameter.description}` : nothing}
                </li>`,
              )}
            </ul>`
          : nothing
      }
      ${body ? html`<h4>${t('docs.body')}</h4>${this.#fields(doc, body)}` : nothing}
      <h4>${t('docs.responses')}</h4>
      <ul class="fields">
        ${Object.entries(operation.responses ?? {}).map(([status, response]) => {
          const schema = response.content?.['application/json']?.schema;
          return html`<li>
            <strong>${status}</strong>${response.description && response.description !== 'Default Response' ? `: ${response.description}` : ''}
            ${schema ? this.#fields(doc, schema) : nothing}
          </li>`;
        })}
      </ul>
    </div>`;
  }

  #reference(doc: OpenApi) {
    const byTag = new Map<string, [string, string, Operation][]>();
    for (const [path, item] of Object.entries(doc.paths))
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const tag = operation.tags?.[0] ?? t('docs.other');
        byTag.set(tag, [...(byTag.get(tag) ?? []), [method, path, operation]]);
      }
    return html`<section class="card">
        <h1>${doc.info.title}</h1>
        ${doc.info.description ? html`<p>${doc.info.description}</p>` : nothing}
        <p>${t('docs.about')} <a href="/docs/json">${t('docs.json')}</a>.</p>
        <nav aria-label=${t('docs.contents')}>
          <h2>${t('docs.contents')}</h2>
          <ul>
            ${[...byTag.keys()].map((tag) => html`<li><a href=${`#${slug(tag)}`} @click=${this.#jump}>${tag}</a></li>`)}
          </ul>
        </nav>
      </section>
      ${[...byTag].map(
        ([tag, operations]) => html`<section class="card" aria-labelledby=${slug(tag)}>
          <h2 id=${slug(tag)} tabindex="-1">${tag}</h2>
          ${operations.map(([method, path, operation]) => this.#operation(doc, method, path, operation))}
        </section>`,
      )}`;
  }

  // The headings are in this shadow root, where a #fragment does not reach.
  #jump(event: Event) {
    event.preventDefault();
    const id = (event.currentTarget as HTMLAnchorElement).hash.slice(1);
    const target = this.renderRoot.querySelector<HTMLElement>(`[id="${id}"]`);
    target?.scrollIntoView();
    target?.focus();
  }

  override render() {
    return html`<ontap-app-shell>${loadState(
      this.doc,
      (doc) => this.#reference(doc),
      () => void this.#load(),
    )}</ontap-app-shell>`;
  }
}
customElements.define('ontap-api-reference-page', ApiReferencePage);
