// Live figures: a server-sent event stream (the browser reconnects it by itself), and polite
// announcements for screen readers, said once per change, never on every tick.
import { session } from '../api/client.ts';

/** Listens to `url`'s events; the stream's `signed-out` ends it and goes to the sign-in page. */
export function listen(url: string, handlers: Record<string, (data: unknown) => void>): () => void {
  const source = new EventSource(url);
  for (const [event, handle] of Object.entries(handlers)) {
    source.addEventListener(event, (message) => {
      try {
        handle(JSON.parse((message as MessageEvent<string>).data));
      } catch {
        // A message the page cannot read is skipped; the next one replaces it.
      }
    });
  }
  source.addEventListener('signed-out', () => {
    source.close();
    session.forget();
    location.assign(`/?next=${encodeURIComponent(location.pathname + location.search)}`);
  });
  return () => source.close();
}

export const ANNOUNCE_EVENT = 'ontap-announce';

/** Says `text` politely through the page's live region (in <ontap-app-shell>, which listens). */
export function announce(text: string): void {
  window.dispatchEvent(new CustomEvent(ANNOUNCE_EVENT, { detail: text }));
}
