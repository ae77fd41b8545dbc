// The buffered access log (server/http/log.ts, issue 20 "buffered asynchronous access
// logging"): requests only queue their line; lines are written in batches after the
// response, in order, and a stream that pushes back holds them instead of the requests.
import { afterEach, describe, expect, it } from 'vitest';
import { bufferedAccessLog, type AccessLogLine, type LogStream } from '../../server/http/log.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A stream that records each write; `full` makes write() answer false (push back) until drain(). */
function recordingStream() {
  const writes: string[] = [];
  let onDrain: (() => void) | undefined;
  const stream = {
    full: false,
    writes,
    write(chunk: string) {
      writes.push(chunk);
      return !stream.full;
    },
    once(_event: 'drain', listener: () => void) {
      onDrain = listener;
      return stream;
    },
    drain() {
      stream.full = false;
      const listener = onDrain;
      onDrain = undefined;
      listener?.();
    },
    lines: () => writes.join('').split('\n').filter(Boolean).map((text) => JSON.parse(text) as AccessLogLine & { dropped?: number }),
  };
  return stream satisfies LogStream;
}

const line = (n: number): AccessLogLine => ({ time: new Date(0).toISOString(), level: 'info', msg: 'request', method: 'GET', path: `/p/${n}`, status: 200, durationMs: 1 });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('buffered access log', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('writes nothing while a request logs, then every line of the turn in one write, in order', async () => {
    const stream = recordingStream();
    const log = bufferedAccessLog(stream);
    for (let n = 0; n < 50; n++) log(line(n));
    expect(stream.writes).toHaveLength(0);
    await nextTurn();
    expect(stream.writes).toHaveLength(1);
    expect(stream.lines().map((l) => l.path)).toEqual(Array.from({ length: 50 }, (_, n) => `/p/${n}`));
  });

  it('writes a full batch at once, and flush() writes what waits', () => {
    const stream = recordingStream();
    const log = bufferedAccessLog(stream, { batchLines: 10 });
    for (let n = 0; n < 25; n++) log(line(n));
    expect(stream.writes).toHaveLength(2);
    log.flush();
    expect(stream.lines()).toHaveLength(25);
  });

  it('holds lines while the stream pushes back, and drops (and counts) what passes the cap', async () => {
    const stream = recordingStream();
    const log = bufferedAccessLog(stream, { maxWaiting: 5 });
    log(line(0));
    stream.full = true;
    await nextTurn();
    expect(stream.writes).toHaveLength(1);
    for (let n = 1; n <= 8; n++) log(line(n));
    await nextTurn();
    expect(stream.writes).toHaveLength(1); // waiting for 'drain'
    stream.drain();
    const lines = stream.lines();
    expect(lines.map((l) => l.path ?? `dropped ${l.dropped}`)).toEqual(['/p/0', 'dropped 3', '/p/1', '/p/2', '/p/3', '/p/4', '/p/5']);
  });

  it('logs every request of a real server, fewer writes than requests', async () => {
    const stream = recordingStream();
    t = await startTestServer({ accessLog: bufferedAccessLog(stream) });
    await Promise.all(Array.from({ length: 20 }, () => fetch(`${t!.url}/v1/program`)));
    await nextTurn();
    const lines = stream.lines();
    expect(lines).toHaveLength(20);
    expect(lines.every((l) => l.msg == 'request' && l.path == '/v1/program')).toBe(true);
    expect(stream.writes.length).toBeLessThan(20);
  });
});
