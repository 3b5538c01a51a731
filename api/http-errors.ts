// Errors a route throws on purpose; the error handler turns them into the Error schema
// (api/schemas/common.ts): { error, message, reason?, fields? }.

/** Which rule refused the request and, when one field is at fault, which (in the body unless said). */
export interface ErrorDetail {
  reason: string;
  field?: string;
  in?: 'body' | 'querystring' | 'params';
}

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly detail: ErrorDetail | undefined;
  constructor(statusCode: number, code: string, message: string, detail?: ErrorDetail) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.detail = detail;
  }
}

export const badRequest = (message: string, detail?: ErrorDetail) => new HttpError(400, 'bad_request', message, detail);
export const unauthorized = (message = 'sign in first', detail?: ErrorDetail) =>
  new HttpError(401, 'unauthorized', message, detail);
export const forbidden = (message = 'not allowed for your account', detail?: ErrorDetail) =>
  new HttpError(403, 'forbidden', message, detail);
export const notFound = (message: string, detail?: ErrorDetail) => new HttpError(404, 'not_found', message, detail);
export const conflict = (message: string, detail?: ErrorDetail) => new HttpError(409, 'conflict', message, detail);
