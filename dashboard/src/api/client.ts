// The dashboard's only way to data: the documented API (api/openapi.json), typed from it
// (./openapi.ts, generated), with the session cookie and its CSRF token on every change.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi.ts';

export type ApiErrorBody = components['schemas']['Error'];
export type FieldIssue = NonNullable<ApiErrorBody['fields']>[number];

/** A refused or failed call: the API's error body, or a network failure (status 0). */
export class ApiProblem extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiProblem';
    this.status = status;
    this.body = body;
  }
}

const CSRF_KEY = 'ontap-csrf';
const SESSION_STARTERS = new Set(['/api/auth/login', '/api/auth/signup']);

/** The CSRF token of this tab's session (GET /api/auth/me gives it). */
export const session = {
  get csrf(): string | null {
    return sessionStorage.getItem(CSRF_KEY);
  },
  remember(token: string | null | undefined) {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
  },
  forget() {
    sessionStorage.removeItem(CSRF_KEY);
  },
};

const csrf: Middleware = {
  async onRequest({ request, schemaPath }) {
    if (request.method === 'GET' || SESSION_STARTERS.has(schemaPath)) return request;
    if (!session.csrf) {
      const me = await fetch('/api/auth/me', { credentials: 'same-origin' });
      if (me.ok) session.remember(((await me.json()) as { csrfToken?: string }).csrfToken);
    }
    request.headers.set('x-csrf-token', session.csrf ?? '');
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin, credentials: 'same-origin' });
api.use(csrf);

type Outcome<T> = { data?: T; error?: unknown; response: Response };

/** The data of a call that worked; an ApiProblem for one that did not (network failures too). */
export async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await call;
  } catch {
    throw new ApiProblem(0, { error: 'network', message: 'network failure' });
  }
  const { data, error, response } = outcome;
  if (!response.ok) {
    const body = (
      error && typeof error === 'object' && 'error' in error ? error : { error: 'generic', message: response.statusText }
    ) as ApiErrorBody;
    throw new ApiProblem(response.status, body);
  }
  return data as T;
}
