// /openapi.json as others check it: Redocly CLI's recommended rules (a maintained
// linter) must report no error, and every operation has a unique operationId.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const redocly = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'redocly');

let t: TestServer;
let spec: { servers: unknown[]; info: { license?: unknown }; paths: Record<string, Record<string, { operationId?: string }>> };
beforeAll(async () => {
  t = await startTestServer();
  spec = await (await fetch(`${t.url}/openapi.json`)).json();
});
afterAll(() => t.dispose());

describe('the OpenAPI document', () => {
  it('passes Redocly recommended rules with no error', { timeout: 120_000 }, async () => {
    const file = join(tempDir('kudos-openapi-'), 'openapi.json');
    writeFileSync(file, JSON.stringify(spec));
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
    const result = await run(redocly, ['lint', file, '--extends=recommended', '--format=summary'], { env }).catch((e) => e);
    const output = `${result.stdout}${result.stderr}`;
    expect(result.code ?? 0, output).toBe(0);
    expect(output).toContain('Your API description is valid');
    expect(output).not.toMatch(/^error/m);
  });

  it('names every operation once, says where it is served and under which licence', () => {
    const ids = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.length).toBeGreaterThan(60);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(spec.servers).toHaveLength(1);
    expect(spec.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/t/{awardId}.json', '/t/status/{shopId}/{list}', '/t/issuers/{shopId}/did.json']));
  });
});
