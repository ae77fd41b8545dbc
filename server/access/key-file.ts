// Where the sealing key comes from: KUDOS_SECRET_KEY (and, while rotating it,
// KUDOS_SECRET_KEY_PREVIOUS: comma-separated older keys), else the file
// `kudos-secret.key` beside the data file, created with a new random key (mode
// 0600) on first start. docs/access.md says how to keep and rotate it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { newSealKeyText, parseSealKey, useSealKey } from './seal.js';

export interface SealKeySource {
  /** 'env', or the key file's path. */
  from: string;
  /** Set only the first time, when the key was just generated: print it once. */
  generated?: string;
}

export const sealKeyFileOf = (dataFile: string) => join(dirname(dataFile), 'kudos-secret.key');

export function loadSealKey(dataFile: string, env: NodeJS.ProcessEnv = process.env): SealKeySource {
  const previous = (env.KUDOS_SECRET_KEY_PREVIOUS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (env.KUDOS_SECRET_KEY?.startsWith('sk_')) {
    throw new Error('KUDOS_SECRET_KEY holds a shop API key (sk_…); it is the server\'s sealing key (docs/access.md). Give API keys to tools as KUDOS_API_KEY.');
  }
  if (env.KUDOS_SECRET_KEY) {
    useSealKey(env.KUDOS_SECRET_KEY, previous);
    return { from: 'env' };
  }
  const file = sealKeyFileOf(dataFile);
  const readKey = () => {
    const text = readFileSync(file, 'utf8').trim();
    parseSealKey(text);
    useSealKey(text, previous);
    return { from: file };
  };
  if (existsSync(file)) return readKey();
  // The folder may not exist yet (a fresh checkout on PostgreSQL has no data/), and several
  // instances starting at once on one machine race to create the file: the loser reads the winner's.
  mkdirSync(dirname(file), { recursive: true });
  const generated = newSealKeyText();
  try {
    writeFileSync(file, generated + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKey();
    throw error;
  }
  useSealKey(generated, previous);
  return { from: file, generated };
}
