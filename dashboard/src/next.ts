// Where to go after signing in. `?next=` comes from anyone's link, so it is followed only to a
// page of this site: "//evil.example" and "/\evil.example" are other sites to a browser.

/** `next` as a path on `origin`, or undefined when it would leave the site. */
export function safeNext(next: unknown, origin: string): string | undefined {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  let url: URL;
  try {
    // Parsed as the browser will: it reads "\" as "/" and drops tabs and newlines.
    url = new URL(next, origin);
  } catch {
    return undefined;
  }
  return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : undefined;
}
