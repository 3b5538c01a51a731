// Content-Security-Policy: the dashboard is built ES modules (Lit components, Chart.js), all from
// this origin, with no inline script, style or event handler; so nothing else may run or load.
// An injected <script>, inline handler or style attribute, or a form posting elsewhere, is refused.
// The API reference (/docs) is one of those pages, under the same policy.

export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  // The pages' favicon is `data:,` (no request).
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The public board may be embedded in other sites (a community centre's page). */
export const embeddableFrameAncestors = '*';
