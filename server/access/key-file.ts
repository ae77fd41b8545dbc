// Where the sealing key comes from: the configuration (KUDOS_SEALING_KEY and, while
// rotating it, KUDOS_SEALING_KEY_PREVIOUS; read and checked in server/config.ts),
// else the file `kudos-secret.key` beside the data file, created with a new random
// key (mode 0600) on first start. docs/access.md says how to keep and rotate it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SealingConfig } from '../config.js';
import { newSealKeyText, parseSealKey, useSealKey } from './seal.js';

export interface SealKeySource {
  /** The variable the key came from, or the key file's path. */
  from: string;
  /** Set only the first time, when the key was just generated: print it once. */
  generated?: string;
}

export const sealKeyFileOf = (dataFile: string) => join(dirname(dataFile), 'kudos-secret.key');

export function loadSealKey(dataFile: string, sealing: SealingConfig = { previous: [] }): SealKeySource {
  const { previous } = sealing;
  if (sealing.key) {
    useSealKey(sealing.key, previous);
    return { from: sealing.from ?? 'KUDOS_SEALING_KEY' };
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
