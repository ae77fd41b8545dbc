// The hosted post-delivery survey page: plain HTML forms, no script (CSP: none
// runs), one question with a 0–10 scale of radio buttons in a fieldset, an
// optional comment, errors named in a summary and at the field. en/fr/de.
import { localeOf, type Locale } from '../checkins/page.js';
import { esc, hostedPage } from '../http/hosted-page.js';

export { localeOf, type Locale };

interface Messages {
  title: string;
  scaleHint: string;
  low: string;
  high: string;
  comment: string;
  commentHint: string;
  send: string;
  errorTitle: string;
  needScore: string;
  tooLong: string;
  thanks: string;
  thanksBody: string;
  already: string;
  invalid: string;
  closed: string;
  tooMany: string;
}

const en: Messages = {
  title: 'Your opinion',
  scaleHint: '0 = not at all likely, 10 = extremely likely',
  low: 'Not at all likely',
  high: 'Extremely likely',
  comment: 'Anything you would like to tell us?',
  commentHint: 'Optional.',
  send: 'Send my answer',
  errorTitle: 'Please check the form',
  needScore: 'Choose a score from 0 to 10.',
  tooLong: 'Keep the comment under 1000 characters.',
  thanks: 'Thank you!',
  thanksBody: 'Your answer has been recorded.',
  already: 'You already answered this survey. Thank you!',
  invalid: 'This survey link is not valid.',
  closed: 'This survey is closed.',
  tooMany: 'Too many answers from this network. Please try again in a few minutes.',
};
const fr: Messages = {
  title: 'Votre avis',
  scaleHint: '0 = pas du tout probable, 10 = très probable',
  low: 'Pas du tout probable',
  high: 'Très probable',
  comment: 'Voulez-vous nous dire quelque chose ?',
  commentHint: 'Facultatif.',
  send: 'Envoyer ma réponse',
  errorTitle: 'Vérifiez le formulaire',
  needScore: 'Choisissez une note de 0 à 10.',
  tooLong: 'Le commentaire doit faire moins de 1000 caractères.',
  thanks: 'Merci !',
  thanksBody: 'Votre réponse est enregistrée.',
  already: 'Vous avez déjà répondu à ce questionnaire. Merci !',
  invalid: 'Ce lien de questionnaire n’est pas valide.',
  closed: 'Ce questionnaire est clos.',
  tooMany: 'Trop de réponses depuis ce réseau. Réessayez dans quelques minutes.',
};
const de: Messages = {
  title: 'Ihre Meinung',
  scaleHint: '0 = überhaupt nicht wahrscheinlich, 10 = äußerst wahrscheinlich',
  low: 'Überhaupt nicht wahrscheinlich',
  high: 'Äußerst wahrscheinlich',
  comment: 'Möchten Sie uns etwas mitteilen?',
  commentHint: 'Freiwillig.',
  send: 'Antwort senden',
  errorTitle: 'Bitte prüfen Sie das Formular',
  needScore: 'Wählen Sie einen Wert von 0 bis 10.',
  tooLong: 'Der Kommentar darf höchstens 1000 Zeichen haben.',
  thanks: 'Vielen Dank!',
  thanksBody: 'Ihre Antwort wurde gespeichert.',
  already: 'Sie haben diese Umfrage bereits beantwortet. Vielen Dank!',
  invalid: 'Dieser Umfrage-Link ist ungültig.',
  closed: 'Diese Umfrage ist beendet.',
  tooMany: 'Zu viele Antworten aus diesem Netz. Bitte versuchen Sie es in ein paar Minuten erneut.',
};
const catalogs: Record<Locale, Messages> = { en, fr, de };

export const SURVEY_STYLESHEET_PATH = '/s/assets/survey.css';
// Mobile first (360 px): the scale wraps to two rows of 44 px targets, one row from 40rem.
export const SURVEY_STYLESHEET = `*{box-sizing:border-box}
html{font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f3ee;-webkit-text-size-adjust:100%}
body{margin:0}
main{max-width:40rem;margin:0 auto;padding:1.25rem 1rem 2rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:.75rem;padding:1.25rem}
.shop{margin:0;color:#57606a;font-size:.9375rem}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 1rem}
fieldset{border:0;margin:0 0 1.25rem;padding:0;min-width:0}
legend{font-weight:700;font-size:1.125rem;margin:0 0 .25rem;padding:0}
.hint{display:block;font-weight:400;color:#57606a;font-size:.9375rem;margin:0 0 .75rem}
.scale{display:grid;grid-template-columns:repeat(6,1fr);gap:.5rem;margin:0;padding:0;list-style:none}
@media (min-width:40rem){.scale{grid-template-columns:repeat(11,1fr)}}
.scale li{position:relative}
.scale input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
.scale label{display:grid;place-items:center;min-height:2.75rem;border:1px solid #6e7781;border-radius:.5rem;font-weight:700;cursor:pointer;background:#fff}
.scale input:checked+label{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
.scale input:focus-visible+label{outline:3px solid #b45309;outline-offset:2px}
.ends{display:flex;justify-content:space-between;gap:1rem;color:#57606a;font-size:.875rem;margin:.375rem 0 0}
label.field{display:block;font-weight:600}
textarea{display:block;width:100%;min-height:6rem;margin:.375rem 0 1.25rem;padding:.5rem .75rem;font:inherit;border:1px solid #6e7781;border-radius:.5rem;color:inherit}
button{display:block;width:100%;min-height:3rem;padding:.75rem 1rem;font:inherit;font-weight:700;color:#fff;background:#1d4ed8;border:0;border-radius:.5rem;cursor:pointer}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.errors{border:2px solid #b42318;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem;background:#fef3f2}
.errors h2{font-size:1rem;margin:0 0 .25rem}
.errors p{margin:0}
.error{color:#b42318;font-weight:600;margin:0 0 .5rem}
[aria-invalid=true]{border-color:#b42318;border-width:2px}
`;

const layout = (locale: Locale, title: string, body: string) => hostedPage(locale, title, SURVEY_STYLESHEET_PATH, body);

export interface SurveyPageContext {
  locale: Locale;
  shopName: string;
  question: string;
}

export type SurveyFormError = 'needScore' | 'tooLong';

export function surveyFormPage(ctx: SurveyPageContext, state: { score?: number; comment?: string; error?: SurveyFormError } = {}): string {
  const m = catalogs[ctx.locale];
  const errorId = 'error-summary';
  const scoreInvalid = state.error === 'needScore';
  const commentInvalid = state.error === 'tooLong';
  const summary = state.error
    ? `<div class="errors" role="alert" id="${errorId}"><h2>${esc(m.errorTitle)}</h2><p><a href="#${scoreInvalid ? 'score-0' : 'comment'}">${esc(m[state.error])}</a></p></div>`
    : '';
  const options = Array.from({ length: 11 }, (_, n) => {
    const checked = state.score === n ? ' checked' : '';
    return `<li><input type="radio" name="score" value="${n}" id="score-${n}"${checked} required${scoreInvalid ? ` aria-describedby="${errorId}"` : ''}><label for="score-${n}">${n}</label></li>`;
  }).join('');
  return layout(
    ctx.locale,
    `${m.title} · ${ctx.shopName}`,
    `<p class="shop">${esc(ctx.shopName)}</p>
<h1>${esc(m.title)}</h1>
${summary}<form method="post" novalidate>
<fieldset${scoreInvalid ? ' aria-invalid="true"' : ''} aria-describedby="scale-hint">
<legend>${esc(ctx.question)}</legend>
<span class="hint" id="scale-hint">${esc(m.scaleHint)}</span>
${scoreInvalid ? `<p class="error">${esc(m.needScore)}</p>` : ''}<ul class="scale">${options}</ul>
<p class="ends" aria-hidden="true"><span>${esc(m.low)}</span><span>${esc(m.high)}</span></p>
</fieldset>
<label class="field" for="comment">${esc(m.comment)} <span class="hint">${esc(m.commentHint)}</span></label>
${commentInvalid ? `<p class="error">${esc(m.tooLong)}</p>` : ''}<textarea id="comment" name="comment" maxlength="1000"${commentInvalid ? ` aria-invalid="true" aria-describedby="${errorId}"` : ''}>${esc(state.comment ?? '')}</textarea>
<button type="submit">${esc(m.send)}</button>
</form>`,
  );
}

export function surveyDonePage(ctx: SurveyPageContext, already: boolean): string {
  const m = catalogs[ctx.locale];
  return layout(ctx.locale, `${m.thanks} · ${ctx.shopName}`, `<p class="shop">${esc(ctx.shopName)}</p>\n<h1>${esc(m.thanks)}</h1>\n<p role="status">${esc(already ? m.already : m.thanksBody)}</p>`);
}

export function surveyClosedPage(locale: Locale, reason: 'invalid' | 'closed' | 'tooMany'): string {
  const m = catalogs[locale];
  return layout(locale, m.title, `<h1>${esc(m.title)}</h1>\n<p>${esc(m[reason])}</p>`);
}

/** The question in the reader's language, else the first one the shop gave. */
export function questionIn(question: Record<string, string>, locale: Locale): string {
  return question[locale] ?? Object.entries(question).find(([tag]) => tag.split('-')[0] === locale)?.[1] ?? Object.values(question)[0] ?? '';
}
