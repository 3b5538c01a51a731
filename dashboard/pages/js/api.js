// The dashboard's only way to data: the documented API, with the session cookie and its CSRF token.
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let csrf = sessionStorage.getItem('ontap-csrf');

export async function api(path, { method = 'GET', body } = {}) {
  const headers = {};
  if (method !== 'GET') {
    // Signing in or up starts a session; everything else needs the session's CSRF token.
    if (!csrf && !/^\/api\/auth\/(login|signup)$/.test(path)) await me();
    headers['x-csrf-token'] = csrf ?? '';
    if (body !== undefined) headers['content-type'] = 'application/json';
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  const data = response.status === 204 ? null : isJson ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, data?.message || response.statusText);
  return data;
}

/** Who is signed in (and the CSRF token of the session); sends to the sign-in page if nobody. */
export async function me({ redirect = true } = {}) {
  try {
    const who = await api('/api/auth/me');
    remember(who);
    return who;
  } catch (error) {
    if (redirect && error.status === 401) location.assign(`/?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw error;
  }
}

export function remember(who) {
  csrf = who.csrfToken;
  if (csrf) sessionStorage.setItem('ontap-csrf', csrf);
}

export async function signOut() {
  try {
    await api('/api/auth/logout', { method: 'POST' });
  } finally {
    sessionStorage.removeItem('ontap-csrf');
    location.assign('/');
  }
}

export const homeOf = (role) =>
  ({ household: '/household.html', champion: '/champion.html', utility: '/utility.html', admin: '/admin.html' })[role] ?? '/';

/** Shows an error where the user is looking, in words. */
export function showError(element, error) {
  element.textContent = error instanceof Error ? error.message : String(error);
  element.hidden = false;
  element.focus?.();
}

/** Wires the header's sign-out button, if the page has one. */
export function wireHeader() {
  document.querySelector('#sign-out')?.addEventListener('click', signOut);
}
