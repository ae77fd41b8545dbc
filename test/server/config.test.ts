// The configuration is read once, at start-up: a bad variable stops the server
// with a message naming it, before anything listens or touches data.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeStore, loadConfig } from '../../server/config.js';

const main = join(import.meta.dirname, '..', '..', 'dist', 'server', 'main.js');

describe('configuration', () => {
  it('defaults to lowdb at ./data/kudos.json on port 8787 with the demo seeded', () => {
    const config = loadConfig({}, '/srv/kudos');
    expect(config).toMatchObject({ port: 8787, host: null, dataFile: '/srv/kudos/data/kudos.json', seedDemo: true, accessLog: true, trustProxy: false, allowPrivateWebhooks: false });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads every variable, empty meaning unset', () => {
    const config = loadConfig(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        KUDOS_DATA: 'x/k.json',
        KUDOS_DATABASE_URL: 'postgres://kudos:pw@db:5432/kudos',
        KUDOS_DEMO: 'off',
        KUDOS_PUBLIC_URL: 'https://rewards.example.com/',
        KUDOS_ACCESS_LOG: 'false',
        KUDOS_TRUST_PROXY: '2',
        KUDOS_ALLOW_PRIVATE_WEBHOOKS: '1',
        KUDOS_SHUTDOWN_GRACE_MS: '2500',
      },
      '/srv',
    );
    expect(config).toEqual({
      port: 0,
      host: '127.0.0.1',
      dataFile: '/srv/x/k.json',
      databaseUrl: 'postgres://kudos:pw@db:5432/kudos',
      seedDemo: false,
      publicUrl: 'https://rewards.example.com',
      accessLog: false,
      trustProxy: 2,
      allowPrivateWebhooks: true,
      shutdownGraceMs: 2500,
      sealing: { previous: [] },
    });
    expect(loadConfig({ PORT: '', KUDOS_DATABASE_URL: '' }).port).toBe(8787);
  });

  it('names each bad variable, and never echoes the database URL', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', KUDOS_DEMO: 'maybe', KUDOS_DATABASE_URL: 'mysql://u:hunter2@db/kudos', KUDOS_PUBLIC_URL: 'rewards.example' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.split(':')[0]).sort()).toEqual(['KUDOS_DATABASE_URL', 'KUDOS_DEMO', 'KUDOS_PUBLIC_URL', 'PORT']);
    expect(error!.message).toContain('KUDOS_DEMO: must be on/off');
    expect(error!.message).not.toContain('hunter2');
  });

  it('reads the sealing key and its previous keys, checked, never echoed; the old name still works, an sk_ there is left alone', () => {
    const key = 'a'.repeat(64);
    const old = Buffer.alloc(32, 7).toString('base64url');
    expect(loadConfig({ KUDOS_SEALING_KEY: key, KUDOS_SEALING_KEY_PREVIOUS: ` ${old} ,` }).sealing).toEqual({ key, previous: [old], from: 'KUDOS_SEALING_KEY' });
    // KUDOS_SECRET_KEY was the sealing key's first name; beside the new name, it still opens what it sealed.
    expect(loadConfig({ KUDOS_SECRET_KEY: old }).sealing).toEqual({ key: old, previous: [], from: 'KUDOS_SECRET_KEY' });
    expect(loadConfig({ KUDOS_SEALING_KEY: key, KUDOS_SECRET_KEY: old }).sealing).toEqual({ key, previous: [old], from: 'KUDOS_SEALING_KEY' });
    // A shop backend's API key under the examples' old name is not a sealing key.
    expect(loadConfig({ KUDOS_SECRET_KEY: 'sk_abcdefghijklmnopqrstuvwxyz012345' }).sealing).toEqual({ previous: [] });

    let error: ConfigError | undefined;
    try {
      loadConfig({ KUDOS_SEALING_KEY: 'sk_abcdefghijklmnopqrstuvwxyz012345', KUDOS_SEALING_KEY_PREVIOUS: `${old},tooshort`, KUDOS_SECRET_KEY: 'hunter2hunter2' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error!.problems.map((p) => p.split(':')[0]).sort()).toEqual(['KUDOS_SEALING_KEY', 'KUDOS_SEALING_KEY_PREVIOUS', 'KUDOS_SECRET_KEY']);
    expect(error!.message).toContain('KUDOS_SEALING_KEY: holds a shop API key');
    expect(error!.message).not.toMatch(/sk_abc|hunter2|tooshort/);
  });

  it('describes a database without its password', () => {
    expect(describeStore({ dataFile: '/x', databaseUrl: 'postgres://kudos:hunter2@db:5432/shop' })).toBe('postgres://kudos@db:5432/shop');
  });

  it('describes a Unix-socket database (no host in the URL) without throwing or its password', () => {
    // pg connects to these; WHATWG URL cannot parse them and its error carried the password into the crash report.
    expect(describeStore({ dataFile: '/x', databaseUrl: 'postgres://kudos:hunter2@/shop?host=/var/run/postgresql' })).toBe('postgres://kudos@/shop?host=/var/run/postgresql');
    expect(describeStore({ dataFile: '/x', databaseUrl: 'postgresql:///shop?host=/run/postgresql' })).toBe('postgres:///shop?host=/run/postgresql');
    expect(describeStore({ dataFile: '/x', databaseUrl: 'postgres://kudos:hunter2@%2Fvar%2Frun%2Fpostgresql/shop' })).toBe('postgres://kudos@%2Fvar%2Frun%2Fpostgresql/shop');
    expect(describeStore({ dataFile: '/x', databaseUrl: 'postgres://kudos:hunter2@[bad/shop' })).not.toContain('hunter2');
  });

  it('stops npm start with exit code 2 and a sentence, not a stack trace, when the data was sealed with another key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kudos-sealed-'));
    const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_ACCESS_LOG: 'off' };
    try {
      // The first start seeds the demo shops, sealing their keys with this key.
      const first = spawn(process.execPath, [main], { env: { ...env, KUDOS_SEALING_KEY: randomBytes(32).toString('base64url') } });
      await new Promise<void>((ready, failed) => {
        first.stdout.on('data', (chunk: Buffer) => String(chunk).includes('running at') && ready());
        first.once('exit', (code) => failed(new Error(`first start exited ${code}`)));
      });
      await new Promise((exited) => (first.once('exit', exited), first.kill('SIGTERM')));
      const failure = await promisify(execFile)(process.execPath, [main], { env: { ...env, KUDOS_SEALING_KEY: randomBytes(32).toString('base64url') } }).catch((e) => e);
      expect(failure.code).toBe(2);
      expect(failure.stderr).toMatch(/^kudos: .*KUDOS_SEALING_KEY/);
      expect(failure.stderr).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops npm start with exit code 2 and the variable named', async () => {
    const failure = await promisify(execFile)(process.execPath, [main], { env: { ...process.env, PORT: '99999', KUDOS_DATA: '/nonexistent/k.json' } }).catch((e) => e);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('PORT: must be 0–65535');
  });
});
