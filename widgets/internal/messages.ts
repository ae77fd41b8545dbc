/**
 * The one message catalog for every Kudos widget. All user-visible strings
 * come from here; numbers, money, dates and plurals go through `Intl`.
 *
 * To add a language, add a catalog below with every key of `en` (the type
 * checker enforces it) and list it in `catalogs`.
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

  badgesHeading: 'Your badges',
  badgesLoading: 'Loading badges…',
  badgesEmpty: 'No badges to collect yet. Check back soon!',
  badgesAnonymous: 'Sign in or create an account to start earning badges.',
  badgesSummary: (f: Fmt, earned: number, total: number) =>
    `You’ve earned ${f.n(earned)} of ${f.n(total)} ${f.p(total, ['badge', 'badges'])}`,
  badgeEarned: (date: string) => `Earned ${date}`,
  badgeAnnounce: (name: string) => `You earned “${name}”!`,
  badgeNew: 'New',
  /** "2 of 3 purchases" */
  progressCount: (f: Fmt, current: number, target: number, event: string) =>
    `${f.n(current)} of ${f.n(target)} ${f.unit(event, target)}`,
  /** "€60 of €100 spent" (money) or "60 of 100" */
  progressSum: (current: string, target: string, money: boolean) =>
    `${current} of ${target}${money ? ' spent' : ''}`,
  goalCount: (f: Fmt, target: number, event: string) => `Unlock with ${f.n(target)} ${f.unit(event, target)}`,
  goalSum: (target: string, money: boolean) => (money ? `Unlock by spending ${target}` : `Unlock at ${target}`),
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

  badgesHeading: 'Vos badges',
  badgesLoading: 'Chargement des badges…',
  badgesEmpty: 'Aucun badge à collectionner pour le moment. Revenez bientôt !',
  badgesAnonymous: 'Connectez-vous ou créez un compte pour commencer à gagner des badges.',
  badgesSummary: (f, earned, total) =>
    `${f.n(earned)} ${f.p(earned, ['badge obtenu', 'badges obtenus'])} sur ${f.n(total)}`,
  badgeEarned: (date) => `Obtenu le ${date}`,
  badgeAnnounce: (name) => `Vous avez obtenu « ${name} » !`,
  badgeNew: 'Nouveau',
  progressCount: (f, current, target, event) => `${f.n(current)} ${f.unit(event, current)} sur ${f.n(target)}`,
  progressSum: (current, target, money) => (money ? `${current} dépensés sur ${target}` : `${current} sur ${target}`),
  goalCount: (f, target, event) => `À débloquer avec ${f.n(target)} ${f.unit(event, target)}`,
  goalSum: (target, money) => (money ? `À débloquer en dépensant ${target}` : `À débloquer à ${target}`),
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

  badgesHeading: 'Ihre Abzeichen',
  badgesLoading: 'Abzeichen werden geladen …',
  badgesEmpty: 'Noch keine Abzeichen zu sammeln. Schauen Sie bald wieder vorbei!',
  badgesAnonymous: 'Melden Sie sich an oder erstellen Sie ein Konto, um Abzeichen zu sammeln.',
  badgesSummary: (f, earned, total) => `${f.n(earned)} von ${f.n(total)} Abzeichen erhalten`,
  badgeEarned: (date) => `Erhalten am ${date}`,
  badgeAnnounce: (name) => `Sie haben „${name}“ erhalten!`,
  badgeNew: 'Neu',
  // Units are dative: "2 von 3 Einkäufen", "mit 3 Einkäufen".
  progressCount: (f, current, target, event) => `${f.n(current)} von ${f.n(target)} ${f.unit(event, target)}`,
  progressSum: (current, target, money) => `${current} von ${target}${money ? ' ausgegeben' : ''}`,
  goalCount: (f, target, event) => `Freischalten mit ${f.n(target)} ${f.unit(event, target)}`,
  goalSum: (target, money) => (money ? `Freischalten ab ${target} Einkaufswert` : `Freischalten ab ${target}`),
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
