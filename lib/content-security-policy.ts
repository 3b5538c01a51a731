// Content-Security-Policy: the dashboard is plain HTML with ES modules and Chart.js, all from
// this origin, with no inline script, style or event handler; so nothing else may run or load.
// An injected <script>, inline handler or style attribute, or a form posting elsewhere, is refused.
// Swagger UI (/docs) gets its own, looser policy (it sets inline styles): see schemas.ts.

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

/** Swagger UI's index sets inline styles and shows data: images; scripts stay this origin's only. */
export const docsContentSecurityPolicy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};
