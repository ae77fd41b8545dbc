// Date and time in a given time zone for the forms: the API speaks ISO instants, a shop
// owner speaks "Saturday 8:00 in Paris". <input type="datetime-local"> shows and takes wall
// time; these convert between the two in a named IANA zone (Intl only, no library).

/** The zone of this computer: the default for a shop's times. */
export const browserZone = (): string => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

/** Every zone the browser knows, for a picker (UTC first). */
export function timeZones(): string[] {
  const all = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [browserZone()];
  return ['UTC', ...all.filter((z) => z !== 'UTC')];
}

/** Wall time minus UTC, in ms, of `timeZone` at the instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

const safeZone = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
};

/** An ISO instant as "YYYY-MM-DDTHH:mm" wall time in `timeZone` ('' when not a date). */
export function isoToLocal(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  return new Date(ms + offsetAt(ms, safeZone(timeZone))).toISOString().slice(0, 16);
}

/** "YYYY-MM-DDTHH:mm" wall time in `timeZone` as an ISO instant (the input as is when it is not one). */
export function localToIso(local: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return local;
  const zone = safeZone(timeZone);
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // Twice: the offset at the first guess may differ across a daylight-saving change.
  let ms = wall - offsetAt(wall, zone);
  ms = wall - offsetAt(ms, zone);
  return new Date(ms).toISOString();
}
