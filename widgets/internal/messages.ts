/**
 * The message catalog machinery every Kudos widget uses: locale resolution,
 * plurals, numbers, money and dates through `Intl`, the strings all widgets
 * share (errors, retry, event nouns), and `lazyCatalog` for each widget's own
 * strings (widgets/<name>/messages.ts), whose other languages are separate
 * chunks so a page downloads only the strings it shows.
 *
 * To add a language, add messages.<lang>.ts here with every key of `en` (the
 * type checker enforces it), list it in `others`, and add it to each widget's
 * lazyCatalog. Other languages than English are chunks of their own (like each
 * widget's), so an English page never downloads them.
 */

/** [singular, plural] — chosen with `Intl.PluralRules` ("one" → first, anything else → second). */
type Forms = readonly [string, string];

/** Formatting helpers handed to catalog functions, bound to the resolved locale. */
export interface Fmt {
  /** BCP 47 tag in use, e.g. "fr-CA". */
  readonly locale: string;
  /** Integer / decimal number. */
  n(x: number): string;
  /** Pick a plural form for `x`. */
  p(x: number, forms: Forms): string;
  /** The catalog's unit noun for an event type, in the form that fits `x`. */
  unit(event: string, x: number): string;
}

const en = {
  retry: 'Try again',
  errorNetwork: 'We couldn’t reach the rewards service. Check your connection and try again.',
  errorServer: 'This couldn’t be loaded right now. Please try again in a moment.',
  errorSetup: 'Rewards aren’t set up on this page yet.',

  units: {
    purchase: ['purchase', 'purchases'],
    review: ['review', 'reviews'],
    share: ['share', 'shares'],
    page_view: ['page view', 'page views'],
    product_view: ['product view', 'product views'],
    directory_click: ['visit', 'visits'],
    '': ['step', 'steps'],
  } as Record<string, Forms>,

  // The floating widgets' few strings live here rather than in their own catalogs:
  // their other languages then ride in the shared chunk a page fetches anyway.
  toast: { badge: 'New badge', trophy: 'New trophy', gift: 'Surprise gift', dismiss: 'Dismiss', label: 'Rewards news' },
  launcher: { open: 'Rewards', heading: 'Your rewards', close: 'Close', points: ['point', 'points'] as Forms },
};

export type Catalog = typeof en;

type Loader<T> = () => Promise<{ default: T }>;

/** Other languages of the shared strings: separate chunks, fetched once a page shows that language. */
const others: Record<string, Loader<Catalog>> = {
  fr: () => import('./messages.fr.js'),
  de: () => import('./messages.de.js'),
};

const loaded: Record<string, Catalog> = { en };
const pending: Record<string, Promise<unknown>> = {};

const lang = (locale: string) => locale.split('-')[0]!.toLowerCase();

/** Whether the shared strings of `locale` are here (English always is, as is any language without a catalog). */
export const hasShared = (locale: string) => !!loaded[lang(locale)] || !others[lang(locale)];

/** Fetches the shared strings of `locale` once (English if the chunk cannot be fetched). */
export function loadShared(locale: string): Promise<unknown> {
  const l = lang(locale);
  return (pending[l] ??= others[l]?.().then(
    (m) => (loaded[l] = m.default),
    () => (loaded[l] = en),
  ) ?? Promise.resolve());
}

export type Messages = Catalog &
  Fmt & {
    /** Medium date, e.g. "Jan 3, 2025" / "3 janv. 2025". Empty for unparsable input. */
    date(iso: string): string;
    /** Money in `currency`, without decimals for whole amounts. Falls back to a plain number for an unknown currency. */
    money(x: number, currency: string): string;
  };

const cache = new Map<string, Messages>();

/**
 * Languages whose integers below 1 000 are their ASCII digits (minus sign included, no grouping
 * yet) in every region, and in which an integer takes the singular when its absolute value is 1,
 * or 0 too (fr): the first Intl.NumberFormat or PluralRules of a page loads its locale's ICU data,
 * 18 ms of the badges' first render on a phone for "2 of 5" (bench/widgets.mjs --profile).
 * Checked against Intl for every region of them (widgets/internal/messages.test.ts). Not with a
 * `-u-` extension, which may pick other digits (`-u-nu-arab`). A language not listed uses Intl.
 */
const PLAIN_INTEGERS: Record<string, number> = { en: 1, de: 1, fr: 0 };

function canonical(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}

/**
 * The first candidate whose language has a catalog, as a canonical BCP 47 tag
 * (region kept for formatting, e.g. "fr-CA"); "en" when none matches. Pass, in
 * order: the element's `locale` attribute, `Kudos.config.locale`,
 * `document.documentElement.lang`, `navigator.language`.
 */
export function resolveLocale(...candidates: (string | null | undefined)[]): string {
  for (const c of candidates) {
    const tag = canonical(c);
    if (tag && (lang(tag) == 'en' || others[lang(tag)])) return tag;
  }
  return 'en';
}

/**
 * A widget's own strings: English inline, other languages fetched on demand.
 * `get` is undefined while the reader's language is loading (render no text
 * then, rather than a flash of English); `load` fetches it once, together with
 * the shared strings of that language, falling back to English if a chunk
 * cannot be fetched.
 */
export function lazyCatalog<T>(en: T, others: Record<string, Loader<T>>) {
  const loaded: Record<string, T> = { en };
  return {
    get: (locale: string): T | undefined => loaded[lang(locale)] ?? (others[lang(locale)] ? undefined : en),
    async load(locale: string): Promise<T> {
      const l = lang(locale);
      const [own] = await Promise.all([others[l]?.().then((m) => m.default, () => en), loadShared(l)]);
      return (loaded[l] ??= own ?? en);
    },
  };
}

/**
 * Messages and formatters for a resolved locale tag: cached once its shared
 * strings are here, English strings with the locale's formatters until then
 * (see `loadShared`).
 */
export function messages(locale: string): Messages {
  let m = cache.get(locale);
  if (m) return m;
  const catalog = loaded[lang(locale)] ?? en;
  // Each Intl object is made on first use: building them all here was one long task
  // (tens of ms) on a phone before the widget's first paint, for formatters most widgets never call.
  let plural: Intl.PluralRules, number: Intl.NumberFormat, dates: Intl.DateTimeFormat;
  // The least integer (0 or 1) that takes the singular, when integers need no Intl here.
  const least = /-u-/i.test(locale) ? undefined : PLAIN_INTEGERS[lang(locale)];
  const plain = (x: number) => least !== undefined && Number.isInteger(x) && Math.abs(x) < 1000;
  const n = (x: number) => (plain(x) ? String(x) : (number ??= new Intl.NumberFormat(locale)).format(x));
  const moneys: Record<string, Intl.NumberFormat> = {};
  m = {
    ...catalog,
    locale,
    n,
    p: (x, forms) => forms[(plain(x) ? Math.abs(x) <= 1 && Math.abs(x) >= least! : (plural ??= new Intl.PluralRules(locale)).select(x) === 'one') ? 0 : 1],
    unit: (event, x) => m!.p(x, catalog.units[event] ?? catalog.units['']),
    date: (iso) => {
      const d = new Date(iso);
      // "Jan 3, 2025" as Intl writes it for en and en-US, read off toDateString ("Fri Jan 03 2025",
      // local time as Intl's): no Intl object, whose first loads ICU data (22 ms of a returning
      // shopper's points widget). Checked against Intl (messages.test.ts).
      const [, mon, day, year] = d.toDateString().split(' ');
      return /^en(-US)?$/.test(locale) && +year! > 999
        ? `${mon} ${+day!}, ${year}`
        : isNaN(+d) ? '' : (dates ??= new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })).format(d);
    },
    money: (x, currency) => {
      // Whole euros below 1 000 as Intl writes them in every region but these five (checked in
      // messages.test.ts), with no Intl object: the first one of a page loads ICU data, 15–40 ms of
      // the badges' and points' first render ("€60 of €100 spent", "1 point per €1").
      if (currency == 'EUR' && x >= 0 && plain(x) && !/-(A[TU]|CH|LI|MV)\b/.test(locale)) return lang(locale) == 'en' ? '€' + x : x + '\u00a0€';
      try {
        // One per currency: a formatter is costly to make, and a list shows many amounts.
        return (moneys[currency] ??= new Intl.NumberFormat(locale, {
          style: 'currency',
          currency,
          // Whole amounts read "€100", not "€100.00" (Intl.NumberFormat v3).
          trailingZeroDisplay: 'stripIfInteger',
        } as Intl.NumberFormatOptions)).format(x);
      } catch {
        return n(x);
      }
    },
  };
  if (hasShared(locale)) cache.set(locale, m);
  return m;
}
