// The console's message machinery, shaped like the widgets' (widgets/internal/messages.ts):
// English is in each catalog's messages.ts; French and German are messages.fr.ts and
// messages.de.ts beside it, separate chunks fetched only when the page speaks them.
// The shell (console.ts) awaits `loadMessages()` once before its first render, so `t` is
// synchronous everywhere else. Numbers, percents and dates go through Intl with the same locale.

export type Vars = Record<string, string | number>;
/** A translator: a key of its own catalog (or of the shared one it extends), with {placeholders}. */
export type Translate<K extends string> = (key: K, vars?: Vars) => string;
type Loader<T> = () => Promise<{ default: T }>;

/** Languages the console speaks besides English. */
export const LANGUAGES = ['en', 'fr', 'de'] as const;
type Other = Exclude<(typeof LANGUAGES)[number], 'en'>;

/** The page's language if we have it (`?lang=`), else the browser's, else English. */
export function pickLocale(requested: readonly string[]): string {
  for (const tag of requested) {
    const lang = tag.toLowerCase().split('-')[0]!;
    if ((LANGUAGES as readonly string[]).includes(lang)) return lang;
  }
  return 'en';
}

export const locale = pickLocale([new URLSearchParams(location.search).get('lang') ?? '', ...(navigator.languages ?? [navigator.language])]);

const loads: (() => Promise<void>)[] = [];

/** Fetches every catalog's strings in the page's language (English needs nothing). */
export const loadMessages = (): Promise<unknown> => Promise.all(loads.map((load) => load()));

const fill = (text: string, vars: Vars) => text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));

/**
 * A catalog: English strings, loaders for the other languages (each must have every key:
 * the type checker says which is missing), and optionally the catalog it extends, whose keys
 * this translator also accepts.
 */
export function defineMessages<E extends Record<string, string>, P extends string = never>(
  en: E,
  others: Record<Other, Loader<Record<keyof E, string>>>,
  parent?: Translate<P>,
): Translate<(keyof E & string) | P> {
  let active: Record<string, string> = en;
  const load = others[locale as Other];
  if (load) {
    let pending: Promise<void> | undefined;
    // A chunk that cannot be fetched leaves English, never a blank page.
    loads.push(() => (pending ??= load().then((m) => void (active = m.default), () => undefined)));
  }
  return (key, vars = {}) => {
    const text = active[key] ?? en[key];
    if (text === undefined) return parent ? parent(key as P, vars) : key;
    return fill(text, vars);
  };
}

export const fmt = {
  number: (n: number) => new Intl.NumberFormat(locale).format(n),
  percent: (n: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(n),
  date: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso)),
  dateTime: (iso: string, timeZone?: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone && { timeZone }) }).format(new Date(iso)),
  /** To the second: a delivery log's attempts are often seconds apart. */
  dateTimeSec: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso)),
  ms: (n: number) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: 0 }).format(n),
  shortDate: (iso: string) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(iso)),
};
