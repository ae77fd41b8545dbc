// The locales the widgets' formatters are checked against Intl for, where they write text
// without an Intl object (widgets/internal/messages.ts, widgets/share-save/messages.ts): each
// catalog language (en, de, fr) alone, with every two-letter region code, and with the tags in
// `extra` (a numeric region, a script, a -u- extension…), canonicalized as resolveLocale does.
const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const REGIONS = [...A].flatMap((a) => [...A].map((b) => `-${a}${b}`));

export function catalogLocales(extra: readonly string[]): string[] {
  return ['en', 'de', 'fr'].flatMap((lang) => ['', ...extra, ...REGIONS].map((tag) => Intl.getCanonicalLocales(lang + tag)[0]!));
}
