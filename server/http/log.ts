// Structured logs: one JSON line per request (access log) and per unhandled error,
// both naming the request id a caller sees in X-Request-Id.
import type { RequestHandler } from 'express';
import { callerOf } from './auth.js';
import { requestIdOf } from './request-id.js';

export interface AccessLogLine {
  time: string;
  level: 'info';
  msg: 'request';
  requestId?: string;
  method: string;
  /** The path only, its secret segments replaced (see `redactPath`): query strings can carry tokens too and stay out of logs. */
  path: string;
  status: number;
  durationMs: number;
  shopId?: string;
}

/**
 * Path segments that are credentials: whoever reads the log could use them. A
 * check-in page token (/c/…) checks in; a claim token (/v1/order-claims/…, and
 * /v1/claims/… while that deprecated path answers) takes a
 * guest order's points; a reservation token confirms a held unit.
 */
const SECRET_SEGMENTS: readonly RegExp[] = [
  /^(\/c\/)[^/]+/,
  /^(\/v1\/(?:order-)?claims\/)[^/]+/,
  /^(\/v1\/products\/[^/]+\/reservations\/)[^/]+/,
];

/** The path as logged: every secret segment replaced by `:redacted`. */
export function redactPath(path: string): string {
  for (const pattern of SECRET_SEGMENTS) {
    if (pattern.test(path)) return path.replace(pattern, '$1:redacted');
  }
  return path;
}

export type AccessLog = (line: AccessLogLine) => void;

export const stdoutAccessLog: AccessLog = (line) => process.stdout.write(JSON.stringify(line) + '\n');

/** Where a buffered log writes: process.stdout, or anything with its write/once. */
export interface LogStream {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export interface BufferedAccessLog extends AccessLog {
  /** Writes every waiting line now (shutdown, `process.on('exit')`). */
  flush(): void;
}

/**
 * The access log off the request path: a request only appends its line to a list; the
 * lines are serialised and written together, one write per turn of the event loop (or
 * sooner once `batchLines` wait), instead of one JSON.stringify and one write(2) per
 * request while the response finishes (13% of ingest CPU in issue 20's profiles). On Linux
 * a write to a pipe is synchronous, so a log reader that falls behind used to stall every
 * request; now it stalls one batch. When the stream pushes back (write() false), lines
 * wait for 'drain'; past `maxWaiting` waiting lines new ones are dropped and the next batch says
 * how many, so a stuck reader cannot grow the server's memory without bound.
 */
export function bufferedAccessLog(
  stream: LogStream = process.stdout,
  { batchLines = 1000, maxWaiting = 100_000 }: { batchLines?: number; maxWaiting?: number } = {},
): BufferedAccessLog {
  let waiting: AccessLogLine[] = [];
  let dropped = 0;
  let scheduled = false;
  let blocked = false;

  const flush = () => {
    scheduled = false;
    if (blocked || (waiting.length == 0 && dropped == 0)) return;
    let text = '';
    if (dropped) {
      text = JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: 'access log behind: lines dropped', dropped }) + '\n';
      dropped = 0;
    }
    for (const line of waiting) text += JSON.stringify(line) + '\n';
    waiting = [];
    if (!stream.write(text)) {
      blocked = true;
      stream.once('drain', () => {
        blocked = false;
        flush();
      });
    }
  };

  const log = ((line: AccessLogLine) => {
    if (waiting.length >= maxWaiting) return void dropped++;
    waiting.push(line);
    if (waiting.length >= batchLines) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }) as BufferedAccessLog;
  log.flush = () => {
    blocked = false;
    flush();
  };
  return log;
}

/** Logs each request when its response is finished (or the client went away). */
export function accessLog(log: AccessLog, now: () => number = () => performance.now()): RequestHandler {
  return (req, res, next) => {
    const start = now();
    let done = false;
    const write = () => {
      if (done) return;
      done = true;
      let shopId: string | undefined;
      try {
        shopId = callerOf(res)?.shop.id;
      } catch {
        // not authenticated
      }
      log({
        time: new Date().toISOString(),
        level: 'info',
        msg: 'request',
        requestId: requestIdOf(res),
        method: req.method,
        path: redactPath(req.originalUrl.split('?')[0]!).slice(0, 512),
        status: res.headersSent ? res.statusCode : 499,
        durationMs: Math.round((now() - start) * 10) / 10,
        shopId,
      });
    };
    res.once('finish', write);
    res.once('close', write);
    next();
  };
}

/** The default error log (AppOptions.log): one JSON line on stderr with the request id inside the message. */
export function jsonErrorLog(message: string, error: unknown): void {
  const err = error as { message?: unknown; stack?: unknown } | undefined;
  const requestId = /\(request ([^)\s]+)\)/.exec(message)?.[1];
  process.stderr.write(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'error',
      msg: message,
      requestId,
      error: typeof err?.stack === 'string' ? err.stack : String(err?.message ?? error),
    }) + '\n',
  );
}
