// Consent withdrawal for the market list. Each sign-up with an email gets a link
// (in the checkin.created webhook, for the shop's emails, and in the market list):
// /w/<shopId>/<visitId>/<mac>, the visit signed with the shop's derivation secret.
// Opening it asks to confirm (mail scanners follow links; only the form's POST
// removes); confirming removes the email and its consent from the visit, and the
// check-in itself stays (what it earned is the person's).
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import { derivationSecretOf } from '../access/secrets.js';
import type { Store } from '../store/store.js';
import { enqueueWebhookFacts } from '../webhooks/ports.js';
import { esc, hostedPage } from '../http/hosted-page.js';
import { localeOf, PAGE_CSP, STYLESHEET_PATH, type Locale } from './page.js';
import type { Visit } from './schemas.js';
import { withdrawConsent } from './service.js';

const mac = (secret: string, visitId: string) => createHmac('sha256', secret).update(`kudos-withdraw\n${visitId}`).digest('base64url').slice(0, 22);

export const withdrawUrl = (base: string, shopId: string, secret: string, visitId: string) => `${base}/w/${shopId}/${visitId}/${mac(secret, visitId)}`;

function verifies(secret: string, visitId: string, given: string): boolean {
  const expected = Buffer.from(mac(secret, visitId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const texts: Record<Locale, { title: string; ask: (shop: string) => string; confirm: string; done: (shop: string) => string; invalid: string }> = {
  en: {
    title: 'Unsubscribe',
    ask: (shop) => `Remove your email from ${shop}'s market list? You will get no more news from it.`,
    confirm: 'Remove my email',
    done: (shop) => `Your email is removed from ${shop}'s market list.`,
    invalid: 'This link is not valid.',
  },
  fr: {
    title: 'Désinscription',
    ask: (shop) => `Retirer votre e-mail de la liste du marché de ${shop} ? Vous ne recevrez plus ses nouvelles.`,
    confirm: 'Retirer mon e-mail',
    done: (shop) => `Votre e-mail est retiré de la liste du marché de ${shop}.`,
    invalid: 'Ce lien n’est pas valide.',
  },
  de: {
    title: 'Abmelden',
    ask: (shop) => `Ihre E-Mail von der Marktliste von ${shop} entfernen? Sie erhalten dann keine Neuigkeiten mehr.`,
    confirm: 'Meine E-Mail entfernen',
    done: (shop) => `Ihre E-Mail ist von der Marktliste von ${shop} entfernt.`,
    invalid: 'Dieser Link ist ungültig.',
  },
};

const page = (locale: Locale, body: string) =>
  hostedPage(locale, texts[locale].title, STYLESHEET_PATH, `<h1>${esc(texts[locale].title)}</h1>\n${body}`);

export function withdrawRouter(store: Store, now: () => Date): Router {
  const router = Router();
  router.use('/w/:shopId/:visitId/:mac', (_req, res, next) => {
    res.set({ 'Content-Security-Policy': PAGE_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    next();
  });
  const resolve = async (params: Record<string, string>) => {
    const { shopId, visitId } = params as { shopId: string; visitId: string };
    if (!/^shop_[A-Za-z0-9_-]{1,64}$/.test(shopId) || !/^[0-9a-z]{16}$/.test(visitId)) return undefined;
    const shop = await store.getShop(shopId);
    return shop && verifies(derivationSecretOf(shop), visitId, String(params.mac)) ? { shop, visitId } : undefined;
  };
  router.get('/w/:shopId/:visitId/:mac', async (req, res) => {
    const locale = localeOf(req.get('accept-language'));
    const t = texts[locale];
    const r = await resolve(req.params);
    if (!r) return void res.status(404).type('html').send(page(locale, `<p>${esc(t.invalid)}</p>`));
    res.type('html').send(page(locale, `<p>${esc(t.ask(r.shop.name))}</p>\n<form method="post"><button type="submit">${esc(t.confirm)}</button></form>`));
  });
  router.post('/w/:shopId/:visitId/:mac', express.urlencoded({ extended: false, limit: '1kb', parameterLimit: 2 }), async (req, res) => {
    const locale = localeOf(req.get('accept-language'));
    const t = texts[locale];
    const r = await resolve(req.params);
    if (!r) return void res.status(404).type('html').send(page(locale, `<p>${esc(t.invalid)}</p>`));
    // Removed now, or removed before: the same answer (the link may be used twice).
    const removed = await withdrawConsent(store, r.shop.id, r.visitId, now());
    if (removed) {
      await enqueueWebhookFacts(store, now, r.shop.id, [
        { sourceEventId: `checkin-withdrawn:${r.visitId}`, type: 'checkin.withdrawn', subject: r.visitId, data: { visitId: r.visitId, checkinId: removed.checkinId, withdrawnAt: now().toISOString() } },
      ]);
    }
    res.type('html').send(page(locale, `<p role="status">${esc(t.done(r.shop.name))}</p>`));
  });
  return router;
}

/** The checkin.created fact: the email (and its consent) only when the person gave it with consent. */
export function checkinCreatedFact(visit: Visit, withdraw: string | undefined, sourceEventId = `checkin-created:${visit.visitId}`) {
  const consented = Boolean(visit.email && visit.consent);
  return {
    sourceEventId,
    type: 'checkin.created' as const,
    subject: visit.visitId,
    data: {
      visitId: visit.visitId,
      checkinId: visit.checkinId,
      day: visit.day,
      at: visit.at,
      ...(visit.linkedTo ? { customerId: visit.linkedTo } : {}),
      ...(consented ? { email: visit.email, consent: visit.consent, withdrawUrl: withdraw } : {}),
    },
  };
}
