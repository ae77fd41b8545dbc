// The hosted check-in page (/c/:token): server-rendered HTML, no script, one
// static stylesheet, so it works on any phone, under a strict CSP, and with a
// screen reader (native form controls, labels, one h1, a status region).
import type { Award } from '../schemas.js';
import { esc, hostedPage } from '../http/hosted-page.js';

const en = {
  title: (point: string) => `Check in: ${point}`,
  welcome: (shop: string) => `Welcome to ${shop}`,
  gets: 'Check in to get:',
  badge: (name: string) => `the “${name}” badge`,
  points: (n: string) => `${n} points`,
  emailLabel: 'Email (optional)',
  emailHint: 'Leave it empty to stay anonymous.',
  // The purpose is the shop's own words, in the shop's language: quoted after the sentence, never inside it.
  consentLead: 'I agree that {shop} keeps my email for this purpose, in the shop’s words:',
  keepTitle: 'Keep what you earned',
  keepText: (shop: string) => `Give your email: when you use it with ${shop} (an order, an account), your rewards from today go with it.`,
  keepSubmit: 'Save my email',
  nextTitle: 'What next?',
  submit: 'Check in',
  done: 'You are checked in!',
  earned: 'You earned:',
  nothingEarned: 'Thanks for visiting!',
  savedEmail: 'Your email was saved with your consent. You can ask the shop to erase it at any time.',
  already: (date: string) => `You already checked in here on ${date}.`,
  alreadyEmail: 'This email was already used to check in here.',
  shop: 'Shop online',
  closedTitle: 'This check-in is not open',
  'old-token': 'This QR code was for an earlier day. Scan the code at the stall today.',
  'future-token': 'This QR code is for a later day.',
  'not-yet': (date: string) => `Check-in opens on ${date}.`,
  over: 'This event is over. Thanks for coming!',
  invalid: 'This check-in link is not valid.',
  tooMany: 'Too many check-ins from this network. Please try again in a few minutes.',
  full: 'Check-ins for this shop are full for now. Please try again tomorrow or ask at the stall.',
  errorTitle: 'Please check the form',
  needConsent: 'To give your email, tick the box to agree. Or leave the email empty to stay anonymous.',
  badEmail: 'Enter an email like name@example.com, or leave it empty.',
};
type Messages = typeof en;

const fr: Messages = {
  title: (point) => `Enregistrement : ${point}`,
  welcome: (shop) => `Bienvenue chez ${shop}`,
  gets: 'Enregistrez-vous pour recevoir :',
  badge: (name) => `le badge « ${name} »`,
  points: (n) => `${n} points`,
  emailLabel: 'E-mail (facultatif)',
  emailHint: 'Laissez vide pour rester anonyme.',
  consentLead: 'J’accepte que {shop} conserve mon e-mail dans le but suivant, décrit par la boutique :',
  keepTitle: 'Gardez ce que vous avez gagné',
  keepText: (shop) => `Donnez votre e-mail : quand vous l’utiliserez chez ${shop} (une commande, un compte), vos récompenses du jour vous suivront.`,
  keepSubmit: 'Enregistrer mon e-mail',
  nextTitle: 'Et ensuite ?',
  submit: 'M’enregistrer',
  done: 'Vous êtes enregistré !',
  earned: 'Vous avez gagné :',
  nothingEarned: 'Merci de votre visite !',
  savedEmail: 'Votre e-mail a été enregistré avec votre accord. Vous pouvez demander à la boutique de l’effacer à tout moment.',
  already: (date) => `Vous vous êtes déjà enregistré ici le ${date}.`,
  alreadyEmail: 'Cet e-mail a déjà servi à s’enregistrer ici.',
  shop: 'Boutique en ligne',
  closedTitle: 'Cet enregistrement n’est pas ouvert',
  'old-token': 'Ce QR code était pour un autre jour. Scannez le code du stand aujourd’hui.',
  'future-token': 'Ce QR code est pour un jour à venir.',
  'not-yet': (date) => `L’enregistrement ouvre le ${date}.`,
  over: 'Cet événement est terminé. Merci d’être venu !',
  invalid: 'Ce lien d’enregistrement n’est pas valide.',
  tooMany: 'Trop d’enregistrements depuis ce réseau. Réessayez dans quelques minutes.',
  full: 'Les enregistrements de cette boutique sont complets pour le moment. Réessayez demain ou demandez au stand.',
  errorTitle: 'Vérifiez le formulaire',
  needConsent: 'Pour donner votre e-mail, cochez la case pour accepter. Ou laissez l’e-mail vide pour rester anonyme.',
  badEmail: 'Saisissez un e-mail comme nom@exemple.fr, ou laissez vide.',
};

const de: Messages = {
  title: (point) => `Check-in: ${point}`,
  welcome: (shop) => `Willkommen bei ${shop}`,
  gets: 'Checken Sie ein und erhalten Sie:',
  badge: (name) => `das Abzeichen „${name}“`,
  points: (n) => `${n} Punkte`,
  emailLabel: 'E-Mail (optional)',
  emailHint: 'Leer lassen, um anonym zu bleiben.',
  consentLead: 'Ich bin einverstanden, dass {shop} meine E-Mail für den folgenden, vom Shop beschriebenen Zweck speichert:',
  keepTitle: 'Behalten Sie, was Sie erhalten haben',
  keepText: (shop) => `Geben Sie Ihre E-Mail an: Wenn Sie sie bei ${shop} verwenden (eine Bestellung, ein Konto), gehen Ihre heutigen Prämien mit.`,
  keepSubmit: 'E-Mail speichern',
  nextTitle: 'Wie geht es weiter?',
  submit: 'Einchecken',
  done: 'Sie sind eingecheckt!',
  earned: 'Sie haben erhalten:',
  nothingEarned: 'Danke für Ihren Besuch!',
  savedEmail: 'Ihre E-Mail wurde mit Ihrer Einwilligung gespeichert. Sie können den Shop jederzeit bitten, sie zu löschen.',
  already: (date) => `Sie haben hier bereits am ${date} eingecheckt.`,
  alreadyEmail: 'Mit dieser E-Mail wurde hier bereits eingecheckt.',
  shop: 'Zum Online-Shop',
  closedTitle: 'Dieser Check-in ist nicht geöffnet',
  'old-token': 'Dieser QR-Code war für einen früheren Tag. Scannen Sie heute den Code am Stand.',
  'future-token': 'Dieser QR-Code ist für einen späteren Tag.',
  'not-yet': (date) => `Der Check-in öffnet am ${date}.`,
  over: 'Diese Veranstaltung ist vorbei. Danke für Ihren Besuch!',
  invalid: 'Dieser Check-in-Link ist ungültig.',
  tooMany: 'Zu viele Check-ins aus diesem Netz. Bitte versuchen Sie es in ein paar Minuten erneut.',
  full: 'Die Check-ins dieses Shops sind derzeit ausgeschöpft. Bitte versuchen Sie es morgen erneut oder fragen Sie am Stand.',
  errorTitle: 'Bitte prüfen Sie das Formular',
  needConsent: 'Um Ihre E-Mail anzugeben, setzen Sie das Häkchen zur Einwilligung. Oder lassen Sie das Feld leer, um anonym zu bleiben.',
  badEmail: 'Geben Sie eine E-Mail wie name@beispiel.de ein oder lassen Sie das Feld leer.',
};

const catalogs: Record<string, Messages> = { en, fr, de };
export type Locale = 'en' | 'fr' | 'de';

/** The best of en/fr/de for an Accept-Language header (q-values honoured), English otherwise. */
export function localeOf(acceptLanguage: string | undefined): Locale {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag!.split('-')[0]!.toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked.find((x) => x.lang in catalogs)?.lang as Locale | undefined) ?? 'en';
}

export const messagesOf = (locale: Locale): Messages => catalogs[locale]!;


/** The page's headers: nothing runs, nothing loads but our stylesheet (and badge images). */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const STYLESHEET_PATH = '/c/assets/checkin.css';

// Mobile first (360 px), system fonts, 44 px targets, visible focus, no layout shift (nothing loads late but images with fixed size).
export const STYLESHEET = `*{box-sizing:border-box}
html{font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f3ee;-webkit-text-size-adjust:100%}
body{margin:0}
main{max-width:30rem;margin:0 auto;padding:1.25rem 1rem 2rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:.75rem;padding:1.25rem}
.shop{margin:0;color:#57606a;font-size:.9375rem}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 .5rem}
.place{margin:0 0 1rem;color:#57606a}
ul{padding:0;margin:.5rem 0 1rem;list-style:none}
li{display:flex;gap:.75rem;align-items:center;padding:.5rem 0;border-top:1px solid #eaeef2}
li:first-child{border-top:0}
.icon{font-size:1.75rem;line-height:1;width:2.5rem;height:2.5rem;display:grid;place-items:center;flex:none}
.icon img{width:2.5rem;height:2.5rem;object-fit:contain}
label{display:block;font-weight:600}
.hint{display:block;font-weight:400;color:#57606a;font-size:.9375rem}
input[type=email]{display:block;width:100%;min-height:2.75rem;margin:.375rem 0 1rem;padding:.5rem .75rem;font:inherit;border:1px solid #6e7781;border-radius:.5rem;background:#fff;color:inherit}
.consent{display:flex;gap:.75rem;align-items:flex-start;margin:0 0 1.25rem;font-weight:400}
.consent input{width:1.5rem;height:1.5rem;margin:.125rem 0 0;flex:none;accent-color:#1d4ed8}
button,.button{display:block;width:100%;min-height:3rem;padding:.75rem 1rem;font:inherit;font-weight:700;text-align:center;text-decoration:none;color:#fff;background:#1d4ed8;border:0;border-radius:.5rem;cursor:pointer}
.button.secondary{color:#1d4ed8;background:#fff;border:2px solid #1d4ed8;margin-top:1rem}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.errors{border:2px solid #b42318;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem;background:#fef3f2}
.errors h2{font-size:1rem;margin:0 0 .25rem}
.errors p{margin:0}
[aria-invalid=true]{border-color:#b42318;border-width:2px}
.note{color:#57606a;font-size:.9375rem}
.purpose{display:block;margin-top:.25rem;font-style:italic}
.keep{margin-top:1.25rem;padding-top:1rem;border-top:1px solid #eaeef2}
.keep h2{font-size:1.125rem;margin:0 0 .25rem}
`;

const layout = (locale: Locale, title: string, body: string) => hostedPage(locale, title, STYLESHEET_PATH, body);

export interface PageContext {
  locale: Locale;
  shopName: string;
  point: { name: string; place?: string; consentText?: string; shopUrl?: string; id: string };
  /** What the check-in grants, shown before. */
  badge?: { name: string; icon?: string };
  points?: number;
}

const icon = (value: string | undefined, fallback: string) =>
  value && /^https:\/\//.test(value)
    ? `<span class="icon" aria-hidden="true"><img src="${esc(value)}" alt="" width="40" height="40"></span>`
    : `<span class="icon" aria-hidden="true">${esc(value ?? fallback)}</span>`;

const nf = (locale: Locale, n: number) => new Intl.NumberFormat(locale).format(n);

function header(ctx: PageContext, m: Messages, heading: string): string {
  return `<p class="shop">${esc(m.welcome(ctx.shopName))}</p>
<h1>${esc(heading)}</h1>
${ctx.point.place ? `<p class="place">${esc(ctx.point.place)}</p>` : ''}`;
}

function shopLink(ctx: PageContext, m: Messages): string {
  if (!ctx.point.shopUrl) return '';
  // The attribution contract: a purchase that started here carries kudos_src=market and the point's id.
  const url = new URL(ctx.point.shopUrl);
  url.searchParams.set('kudos_src', 'market');
  url.searchParams.set('kudos_ref', ctx.point.id);
  return `<a class="button secondary" href="${esc(url.href)}">${esc(m.shop)}</a>`;
}

/** The consent checkbox: a sentence in the reader's language, then the shop's purpose quoted as the shop wrote it. */
function consentBox(ctx: PageContext, m: Messages, invalid: boolean): string {
  return `<label class="consent"><input type="checkbox" name="consent" value="yes"${invalid ? ' aria-invalid="true" aria-describedby="form-error" autofocus' : ''}><span>${esc(m.consentLead.replace('{shop}', ctx.shopName))} <q class="purpose">${esc(ctx.point.consentText!)}</q></span></label>`;
}

/** After an anonymous check-in: the way to keep what was earned (an email, with consent), so the visit is not a dead end. */
function keepForm(ctx: PageContext, m: Messages): string {
  return `<form method="post" class="keep">
<h2>${esc(m.keepTitle)}</h2>
<p>${esc(m.keepText(ctx.shopName))}</p>
<input type="hidden" name="then" value="email">
<label for="email">${esc(m.emailLabel)}</label>
<input id="email" name="email" type="email" autocomplete="email" inputmode="email" maxlength="254" required>
${consentBox(ctx, m, false)}
<button type="submit">${esc(m.keepSubmit)}</button>
</form>`;
}

export function formPage(ctx: PageContext, state: { email?: string; error?: 'needConsent' | 'badEmail' } = {}): string {
  const m = messagesOf(ctx.locale);
  const gets = [
    ctx.badge && `<li>${icon(ctx.badge.icon, '🏅')}<span>${esc(m.badge(ctx.badge.name))}</span></li>`,
    ctx.points && `<li>${icon('⭐', '')}<span>${esc(m.points(nf(ctx.locale, ctx.points)))}</span></li>`,
  ].filter(Boolean);
  const consent = ctx.point.consentText;
  const error = state.error && m[state.error];
  const fields = consent
    ? `<label for="email">${esc(m.emailLabel)} <span class="hint" id="email-hint">${esc(m.emailHint)}</span></label>
<input id="email" name="email" type="email" autocomplete="email" inputmode="email" maxlength="254" value="${esc(state.email ?? '')}" aria-describedby="email-hint${error ? ' form-error' : ''}"${state.error === 'badEmail' ? ' aria-invalid="true" autofocus' : ''}>
${consentBox(ctx, m, state.error === 'needConsent')}`
    : '';
  return layout(
    ctx.locale,
    m.title(ctx.point.name),
    `${header(ctx, m, ctx.point.name)}
${error ? `<div class="errors" role="alert" id="form-error"><h2>${esc(m.errorTitle)}</h2><p>${esc(error)}</p></div>` : ''}
${gets.length ? `<p>${esc(m.gets)}</p><ul>${gets.join('')}</ul>` : ''}
<form method="post">
${fields}
<button type="submit">${esc(m.submit)}</button>
</form>
${shopLink(ctx, m)}`,
  );
}

export function donePage(ctx: PageContext, result: { status: 'checked-in' | 'already' | 'already-email'; awards: Award[]; points: number; at: string; emailSaved: boolean }): string {
  const m = messagesOf(ctx.locale);
  const earned = [
    ...result.awards.map((a) => `<li>${icon(a.icon, a.kind === 'trophy' ? '🏆' : a.kind === 'gift' ? '🎁' : '🏅')}<span>${esc(a.kind === 'badge' ? m.badge(a.name) : a.name)}</span></li>`),
    ...(result.points ? [`<li>${icon('⭐', '')}<span>${esc(m.points(nf(ctx.locale, result.points)))}</span></li>`] : []),
  ];
  const date = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long' }).format(new Date(result.at));
  const body =
    result.status !== 'checked-in'
      ? `<p role="status">${esc(result.status === 'already' ? m.already(date) : m.alreadyEmail)}</p>
${result.emailSaved ? `<p class="note">${esc(m.savedEmail)}</p>` : ''}`
      : `<div role="status">${earned.length ? `<p>${esc(m.earned)}</p><ul>${earned.join('')}</ul>` : `<p>${esc(m.nothingEarned)}</p>`}</div>
${result.emailSaved ? `<p class="note">${esc(m.savedEmail)}</p>` : ''}`;
  const keep = ctx.point.consentText && !result.emailSaved && result.status !== 'already-email' ? keepForm(ctx, m) : '';
  return layout(ctx.locale, m.done, `${header(ctx, m, result.status === 'checked-in' ? m.done : ctx.point.name)}
${body}
${keep}
${shopLink(ctx, m)}`);
}

export type ClosedReason = 'old-token' | 'future-token' | 'not-yet' | 'over' | 'invalid' | 'tooMany' | 'full';

export function closedPage(locale: Locale, reason: ClosedReason, opens?: { at: string; timeZone: string }): string {
  const m = messagesOf(locale);
  const text =
    reason === 'not-yet'
      ? m['not-yet'](new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: opens!.timeZone }).format(new Date(opens!.at)))
      : m[reason];
  return layout(locale, m.closedTitle, `<h1>${esc(m.closedTitle)}</h1>\n<p>${esc(text)}</p>`);
}
