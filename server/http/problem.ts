// RFC 9457 problem details: every 4xx/5xx leaves the server in this one shape.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { requestIdOf } from './request-id.js';
import { StoreClosed, StoreWriteError } from '../store/store.js';
import { DomainError, problems, type FieldError } from '../errors.js';

export { DomainError, problems, type FieldError } from '../errors.js';

/** The same problem, pointing at the guide that explains how to fix it. */
export const withDocs = (problem: DomainError, guide: string) =>
  new DomainError(problem.slug, problem.detail, { errors: problem.errors, extensions: problem.extensions, guide, status: problem.status });

const escapePointerToken = (token: PropertyKey) => String(token).replace(/~/g, '~0').replace(/\//g, '~1');

export function pointerOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '' : '/' + path.map(escapePointerToken).join('/');
}

/**
 * Fields 0.x renamed (issue 14: one on/off flag, `active`, on every resource). A client
 * still sending the old name is told what to send instead rather than only "unknown".
 */
const RENAMED_FIELDS: Record<string, string> = {
  disabled: 'it is now "active", with the opposite value ("disabled": true is "active": false)',
  enabled: 'it is now "active" (same value)',
};

const unknownField = (key: string) =>
  Object.hasOwn(RENAMED_FIELDS, key) ? `unknown field "${key}": ${RENAMED_FIELDS[key]}` : `unknown field "${key}"`;

export function fieldErrorsOf(error: z.ZodError, basePath: readonly PropertyKey[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...basePath, ...issue.path];
    // An unknown field is reported at the field itself, so a client can find it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ pointer: pointerOf([...path, key]), detail: unknownField(key) }));
    }
    return [{ pointer: pointerOf(path), detail: issue.message }];
  });
}

/** Parse with a zod schema or throw a 400 problem that points at each bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, basePath: readonly PropertyKey[] = []): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw problems.validation(fieldErrorsOf(result.error, basePath));
  return result.data;
}

/** Seconds a client waits before retrying a request refused at shutdown (a restart, or the proxy's next instance). */
export const SHUTDOWN_RETRY_AFTER_S = 2;

export function sendProblem(res: Response, problem: DomainError): void {
  const body: Record<string, unknown> = {
    type: `https://kudos.dev/problems/${problem.slug}`,
    title: problem.title,
    status: problem.status,
  };
  // Absolute, on this server (which serves the guides), so the link in a console warning opens.
  const docs = problem.guide && `${res.req.protocol}://${res.req.get('host')}/docs/${problem.guide}`;
  // The detail ends with the link too: widgets print the detail as it is (no bytes spent composing it).
  if (problem.detail) body.detail = docs ? `${problem.detail} Docs: ${docs}` : problem.detail;
  if (problem.errors) body.errors = problem.errors;
  for (const [name, value] of Object.entries(problem.extensions ?? {})) if (!(name in body)) body[name] = value;
  if (docs) body.docs = docs;
  const requestId = requestIdOf(res);
  if (requestId) body.requestId = requestId;
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
}

// body-parser tags its errors with a `type`; map them to what the client did wrong.
function fromBodyParser(err: { type?: string; status?: number }): DomainError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return problems.malformedJson();
    case 'entity.too.large':
      return new DomainError('payload-too-large', 'The request body is over the size limit.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problems.unsupportedMediaType('Send UTF-8 JSON.');
    case 'request.aborted':
      return new DomainError('request-aborted', 'The client closed the request early.');
    default:
      return undefined;
  }
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, problems.notFound(`No route ${req.method} ${req.path}.`));
};

export function problemHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof DomainError) return sendProblem(res, err);
    if (err instanceof StoreClosed) {
      // Shutting down: what the request had not committed was not kept; the retry goes elsewhere (or here, restarted).
      res.set('Retry-After', String(SHUTDOWN_RETRY_AFTER_S));
      res.set('Connection', 'close');
      return sendProblem(res, new DomainError('shutting-down', 'This server is shutting down and could not finish the request. Retry it with the same event ids: they are idempotent.'));
    }
    if (err instanceof StoreWriteError) {
      // Nothing of the request was applied: the same request later succeeds.
      log(`store write failed (request ${requestIdOf(res) ?? '-'}) ${req.method} ${req.path}`, err.cause);
      res.set('Retry-After', '30');
      return sendProblem(
        res,
        new DomainError('store-unavailable', 'The server could not store this request (its disk refused the write); nothing of it was kept. Retry later with the same event ids.'),
      );
    }
    const parsed = fromBodyParser(err);
    if (parsed) return sendProblem(res, parsed);
    // The router cannot percent-decode a path parameter (e.g. "%zz", "%ED%A0%80"):
    // it throws a URIError tagged 400 but not `expose`d. That is the client's URL.
    if (err instanceof URIError && (err as { status?: number }).status === 400) {
      return sendProblem(res, new DomainError('malformed-path', 'A path segment is not valid percent-encoded UTF-8.'));
    }
    // serve-static and friends raise http-errors with a client status.
    if (err?.expose && err.status >= 400 && err.status < 500) {
      return sendProblem(res, new DomainError('client-error', String(err.message), { status: err.status }));
    }
    // A file serve-static did not find is the client's 404 (its message names our disk path: not said).
    if (err?.status === 404 && err.code === 'ENOENT') return sendProblem(res, problems.notFound('No such file.'));
    log(`unhandled error (request ${requestIdOf(res) ?? '-'}) ${req.method} ${req.path}`, err);
    sendProblem(res, new DomainError('internal', 'Something went wrong on our side. Retry with the same event ids: they are idempotent.'));
  };
}
