/**
 * Join by email, for `<kudos-share-save join-by-email>`: an invited visitor with no
 * account gives an address, types back the 6-digit code the shop mailed, and joins
 * with the identity that answers. A chunk of its own, fetched only for that visitor
 * (alongside the widget's first API call), so other pages never pay for it; its
 * strings are here in every language for the same reason.
 */
import { html } from 'lit';
import type { GroupView } from './kudos-share-save.js';
import { getRuntime } from '../internal/api.js';

/** What this needs of the widget. */
export interface EmailJoinHost {
  msg: { locale: string };
  _busy: boolean;
  _said: string;
  _claim?: string;
  _act(path: string, body?: object, then?: (answer: any) => unknown, refusals?: Record<string, string>): Promise<unknown>;
}

const STRINGS = {
  en: {
    email: 'Your email, to join without an account',
    send: 'Send me a code',
    sent: 'Check your inbox for a 6-digit code.',
    code: 'Code from the email',
    join: 'Join the group',
    'validation-error': 'Check what you typed and try again.',
    'email-claim-over': 'That code no longer works. Ask for a new one.',
    'rate-limited': 'Too many tries. Try again later.',
  },
  fr: {
    email: 'Votre e-mail, pour rejoindre sans compte',
    send: 'Recevoir un code',
    sent: 'Un code à 6 chiffres vous attend dans votre boîte mail.',
    code: 'Code reçu par e-mail',
    join: 'Rejoindre le groupe',
    'validation-error': 'Vérifiez votre saisie et réessayez.',
    'email-claim-over': 'Ce code ne fonctionne plus. Demandez-en un nouveau.',
    'rate-limited': 'Trop d’essais. Réessayez plus tard.',
  },
  de: {
    email: 'Ihre E-Mail, um ohne Konto beizutreten',
    send: 'Code senden',
    sent: 'Ein 6-stelliger Code ist in Ihrem Posteingang.',
    code: 'Code aus der E-Mail',
    join: 'Der Gruppe beitreten',
    'validation-error': 'Bitte Eingabe prüfen und erneut versuchen.',
    'email-claim-over': 'Dieser Code gilt nicht mehr. Fordern Sie einen neuen an.',
    'rate-limited': 'Zu viele Versuche. Bitte später erneut.',
  },
};

const stringsFor = (locale: string) => STRINGS[locale.slice(0, 2) as keyof typeof STRINGS] ?? STRINGS.en;

function submit(host: EmailJoinHost, e: SubmitEvent, g: GroupView) {
  e.preventDefault();
  const input = (e.target as HTMLFormElement).querySelector('input')!;
  const t = stringsFor(host.msg.locale);
  return host._claim
    ? host._act(
        `/v1/email-verifications/${encodeURIComponent(host._claim)}/confirm`,
        { code: input.value },
        (identity) => {
          getRuntime()?.('identify', identity);
          host._claim = undefined;
          return host._act(`/v1/groups/${encodeURIComponent(g.code)}/join`);
        },
        {
          ...t,
          // A spent or expired code: back to the address, for a new one.
          get 'email-claim-over'() {
            host._claim = undefined;
            return t['email-claim-over'];
          },
        },
      )
    : host._act(
        '/v1/email-verifications',
        { email: input.value },
        (claim) => {
          host._claim = claim.id;
          input.value = '';
          host._said = t.sent;
        },
        t,
      );
}

export function emailForm(host: EmailJoinHost, g: GroupView) {
  const t = stringsFor(host.msg.locale);
  const [label, type, mode, button] = host._claim ? [t.code, 'text', 'numeric', t.join] : [t.email, 'email', 'email', t.send];
  return html`<form part="email-form" @submit=${(e: SubmitEvent) => submit(host, e, g)}><label for="e">${label}</label>
<input id="e" part="email-input" required type=${type} inputmode=${mode} autocomplete=${host._claim ? 'one-time-code' : type} />
<button part="join-button" ?disabled=${host._busy}>${button}</button></form>`;
}
