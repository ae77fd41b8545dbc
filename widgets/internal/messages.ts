/**
 * The message catalog machinery every Kudos widget uses: locale resolution,
 * plurals, numbers, money and dates through `Intl`, the strings all widgets
 * share (errors, retry, event nouns), and `lazyCatalog` for each widget's own
 * strings (widgets/<name>/messages.ts), whose other languages are separate
 * chunks so a page downloads only the strings it shows.
 *
 * To add a language, add a catalog below with every key of `en` (the type
 * checker enforces it), list it in `catalogs`, and add it to each widget's
 * lazyCatalog.
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
};

export type Catalog = typeof en;

const fr: Catalog = {
  retry: 'Réessayer',
  errorNetwork: 'Impossible de joindre le service de fidélité. Vérifiez votre connexion et réessayez.',
  errorServer: 'Le chargement a échoué. Veuillez réessayer dans un instant.',
  errorSetup: 'La fidélité n’est pas encore configurée sur cette page.',

  units: {
    purchase: ['achat', 'achats'],
    review: ['avis', 'avis'],
    share: ['partage', 'partages'],
    page_view: ['page vue', 'pages vues'],
    product_view: ['produit consulté', 'produits consultés'],
    directory_click: ['visite', 'visites'],
    '': ['étape', 'étapes'],
  },
};

const de: Catalog = {
  retry: 'Erneut versuchen',
  errorNetwork: 'Der Prämienservice ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  errorServer: 'Das konnte gerade nicht geladen werden. Bitte versuchen Sie es gleich noch einmal.',
  errorSetup: 'Prämien sind auf dieser Seite noch nicht eingerichtet.',

  units: {
    purchase: ['Einkauf', 'Einkäufen'],
    review: ['Bewertung', 'Bewertungen'],
    share: ['Empfehlung', 'Empfehlungen'],
    page_view: ['Seitenaufruf', 'Seitenaufrufen'],
    product_view: ['Produktaufruf', 'Produktaufrufen'],
    directory_click: ['Besuch', 'Besuchen'],
    '': ['Schritt', 'Schritten'],
  },
};

export const catalogs: Record<string, Catalog> = { en, fr, de };

export type Messages = Catalog &
  Fmt & {
    /** Medium date, e.g. "Jan 3, 2025" / "3 janv. 2025". Empty for unparsable input. */
    date(iso: string): string;
    /** Money in `currency`, without decimals for whole amounts. Falls back to a plain number for an unknown currency. */
    money(x: number, currency: string): string;
  };

const cache = new Map<string, Messages>();

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
    if (tag && catalogs[tag.split('-')[0].toLowerCase()]) return tag;
  }
  return 'en';
}

const lang = (locale: string) => locale.split('-')[0]!.toLowerCase();

/**
 * A widget's own strings: English inline, other languages fetched on demand.
 * `get` is undefined while the reader's language is loading (render no text
 * then, rather than a flash of English); `load` fetches it once, falling back
 * to English if the chunk cannot be fetched.
 */
export function lazyCatalog<T>(en: T, others: Record<string, () => Promise<{ default: T }>>) {
  const loaded: Record<string, T> = { en };
  return {
    get: (locale: string): T | undefined => loaded[lang(locale)] ?? (others[lang(locale)] ? undefined : en),
    async load(locale: string): Promise<T> {
      const l = lang(locale);
      return (loaded[l] ??= (await others[l]?.().then((m) => m.default, () => en)) ?? en);
    },
  };
}

/** Messages and formatters for a resolved locale tag (cached). */
export function messages(locale: string): Messages {
  let m = cache.get(locale);
  if (m) return m;
  const catalog = catalogs[locale.split('-')[0].toLowerCase()] ?? en;
  const plural = new Intl.PluralRules(locale);
  const number = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  m = {
    ...catalog,
    locale,
    n: (x) => number.format(x),
    p: (x, forms) => forms[plural.select(x) === 'one' ? 0 : 1],
    unit: (event, x) => m!.p(x, catalog.units[event] ?? catalog.units['']),
    date: (iso) => {
      const d = new Date(iso);
      return isNaN(d.getTime()) ? '' : dates.format(d);
    },
    money: (x, currency) => {
      try {
        return new Intl.NumberFormat(locale, {
          style: 'currency',
          currency,
          // Whole amounts read "€100", not "€100.00" (Intl.NumberFormat v3).
          trailingZeroDisplay: 'stripIfInteger',
        } as Intl.NumberFormatOptions).format(x);
      } catch {
        return number.format(x);
      }
    },
  };
  cache.set(locale, m);
  return m;
}
