// RFC 9457 problem details: every 4xx/5xx leaves the server in this one shape.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { requestIdOf } from './request-id.js';
import { StoreWriteError } from '../store/store.js';

export interface FieldError {
  pointer: string;
  detail: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** The guide that explains it, a path under /docs (`getting-started.md#create-a-shop`): sent as an absolute `docs` link. */
    readonly docs?: string,
    /** Extension members (RFC 9457 §3.2), e.g. the scope a key lacks. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail ?? title);
  }
}

/** The same problem, pointing at the guide that explains how to fix it. */
export const withDocs = (problem: HttpProblem, docs: string) =>
  new HttpProblem(problem.status, problem.slug, problem.title, problem.detail, problem.errors, docs);

export const problems = {
  validation: (errors: FieldError[], detail = 'The request does not match the expected shape; see errors.') =>
    new HttpProblem(400, 'validation-error', 'Invalid request', detail, errors),
  unauthenticated: (detail: string) =>
    new HttpProblem(401, 'unauthenticated', 'Missing or unknown API key', detail, undefined, 'getting-started.md#the-script-tag'),
  forbidden: (detail: string) => new HttpProblem(403, 'forbidden', 'Not allowed with these credentials', detail),
  identity: (detail: string) =>
    new HttpProblem(403, 'identity-not-verified', 'Shopper identity not verified', detail, undefined, 'getting-started.md#your-shops-backend'),
  /** A browser call from a page whose origin the key's shop did not register. Names the origin only: no shop data. */
  originNotRegistered: (origin: string, shopId = 'SHOP_ID') =>
    new HttpProblem(
      403,
      'origin-not-registered',
      'Origin not registered',
      `This page's origin, ${origin}, is not registered for this shop's key, so browsers may not call Kudos from it. ` +
        `Add it in the console (Access → Origins) or with "kudos shop origins add --shop ${shopId} ${origin}"; it takes effect at once.`,
      undefined,
      'access.md#origins',
    ),
  notFound: (detail: string) => new HttpProblem(404, 'not-found', 'Not found', detail),
  unsupportedMediaType: () =>
    new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.'),
};

const escapePointerToken = (token: PropertyKey) => String(token).replace(/~/g, '~0').replace(/\//g, '~1');

export function pointerOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '' : '/' + path.map(escapePointerToken).join('/');
}

export function fieldErrorsOf(error: z.ZodError, basePath: readonly PropertyKey[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...basePath, ...issue.path];
    // An unknown field is reported at the field itself, so a client can find it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ pointer: pointerOf([...path, key]), detail: `unknown field "${key}"` }));
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

export function sendProblem(res: Response, problem: HttpProblem): void {
  const body: Record<string, unknown> = {
    type: `https://kudos.dev/problems/${problem.slug}`,
    title: problem.title,
    status: problem.status,
  };
  // Absolute, on this server (which serves the guides), so the link in a console warning opens.
  const docs = problem.docs && `${res.req.protocol}://${res.req.get('host')}/docs/${problem.docs}`;
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
function fromBodyParser(err: { type?: string; status?: number }): HttpProblem | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new HttpProblem(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new HttpProblem(413, 'payload-too-large', 'Payload too large', 'The request body is over the size limit.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'unsupported-media-type', 'Unsupported encoding', 'Send UTF-8 JSON.');
    case 'request.aborted':
      return new HttpProblem(400, 'request-aborted', 'Request aborted', 'The client closed the request early.');
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
    if (err instanceof HttpProblem) return sendProblem(res, err);
    if (err instanceof StoreWriteError) {
      // Nothing of the request was applied: the same request later succeeds.
      log(`store write failed (request ${requestIdOf(res) ?? '-'}) ${req.method} ${req.path}`, err.cause);
      res.set('Retry-After', '30');
      return sendProblem(
        res,
        new HttpProblem(503, 'store-unavailable', 'Storage unavailable', 'The server could not store this request (its disk refused the write); nothing of it was kept. Retry later with the same event ids.'),
      );
    }
    const parsed = fromBodyParser(err);
    if (parsed) return sendProblem(res, parsed);
    // The router cannot percent-decode a path parameter (e.g. "%zz", "%ED%A0%80"):
    // it throws a URIError tagged 400 but not `expose`d. That is the client's URL.
    if (err instanceof URIError && (err as { status?: number }).status === 400) {
      return sendProblem(res, new HttpProblem(400, 'malformed-path', 'Malformed URL', 'A path segment is not valid percent-encoded UTF-8.'));
    }
    // serve-static and friends raise http-errors with a client status.
    if (err?.expose && err.status >= 400 && err.status < 500) {
      return sendProblem(res, new HttpProblem(err.status, 'client-error', String(err.message)));
    }
    // A file serve-static did not find is the client's 404 (its message names our disk path: not said).
    if (err?.status === 404 && err.code === 'ENOENT') return sendProblem(res, problems.notFound('No such file.'));
    log(`unhandled error (request ${requestIdOf(res) ?? '-'}) ${req.method} ${req.path}`, err);
    sendProblem(res, new HttpProblem(500, 'internal', 'Internal error', 'Something went wrong on our side. Retry with the same event ids: they are idempotent.'));
  };
}
