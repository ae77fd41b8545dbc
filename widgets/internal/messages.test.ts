// The shared formatters (messages.ts): what they write, and that "2 of 5" costs no Intl object.
import { expect } from '@open-wc/testing';
import { catalogLocales } from '../../test/web/catalog-locales.js';
import { messages } from './messages.js';

const REGIONS = ['en', 'en-US', 'en-GB', 'en-IN', 'en-CA', 'en-AU', 'en-CH', 'en-150', 'fr', 'fr-FR', 'fr-CA', 'fr-CH', 'fr-BE', 'de', 'de-DE', 'de-CH', 'de-AT'];

describe('messages(locale) formatters', () => {
  it('write every number and pick every plural as Intl does, in every region of each catalog language', () => {
    for (const locale of [...REGIONS, 'en-u-nu-arab', 'de-CH-u-nu-latn']) {
      const m = messages(locale);
      const number = new Intl.NumberFormat(locale);
      const plural = new Intl.PluralRules(locale);
      for (const x of [...Array.from({ length: 2003 }, (_, i) => i - 1001), 0.5, -1.5, 1234.5, 12345678, -0.25]) {
        expect(m.n(x), `${locale} n(${x})`).to.equal(number.format(x));
        expect(m.p(x, ['one', 'other']), `${locale} p(${x})`).to.equal(plural.select(x) == 'one' ? 'one' : 'other');
      }
    }
  });

  it('writes integers below 1 000 without making an Intl object (the first one of a page loads ICU data)', () => {
    const made: string[] = [];
    const { NumberFormat, PluralRules } = Intl;
    Intl.NumberFormat = new Proxy(NumberFormat, { construct: (target, args) => (made.push('NumberFormat'), new target(...(args as []))) });
    Intl.PluralRules = new Proxy(PluralRules, { construct: (target, args) => (made.push('PluralRules'), new target(...(args as []))) });
    try {
      // Locales no other test asked for: their messages are not cached yet.
      const m = messages('en-NZ');
      expect(`${m.n(2)} ${m.p(2, ['badge', 'badges'])} of ${m.n(5)}`).to.equal('2 badges of 5');
      expect(messages('fr-LU').p(0, ['badge', 'badges'])).to.equal('badge');
      expect(made).to.deep.equal([]);
      expect(m.n(1500)).to.equal('1,500');
      expect(made).to.deep.equal(['NumberFormat']);
    } finally {
      Intl.NumberFormat = NumberFormat;
      Intl.PluralRules = PluralRules;
    }
  });

  it('writes whole euros as Intl does in every region of each catalog language', () => {
    for (const locale of catalogLocales(['-150', '-001', '-419', '-u-nu-arab', '-CH-u-nu-latn'])) {
      const m = messages(locale);
      const euro = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', trailingZeroDisplay: 'stripIfInteger' } as Intl.NumberFormatOptions);
      for (const x of [0, 1, 2, 9, 10, 60, 100, 999, 1000, 1500, -1, -60, 12.5, 0.99]) expect(m.money(x, 'EUR'), `${locale} money(${x})`).to.equal(euro.format(x));
    }
  });

  it('writes whole euros below 1 000 without making an Intl object', () => {
    const made: string[] = [];
    const { NumberFormat } = Intl;
    Intl.NumberFormat = new Proxy(NumberFormat, { construct: (target, args) => (made.push(args[1]?.currency ?? 'number'), new target(...(args as []))) });
    try {
      // Locales no other test asked for (with a script): their messages are not cached yet.
      expect(`${messages('en-Latn-ZA').money(60, 'EUR')} ${messages('de-Latn-LU').money(100, 'EUR')} ${messages('fr-Latn-MC').money(0, 'EUR')}`).to.equal('€60 100\u00a0€ 0\u00a0€');
      expect(made).to.deep.equal([]);
      const intl = (locale: string, currency: string) => new NumberFormat(locale, { style: 'currency', currency, trailingZeroDisplay: 'stripIfInteger' } as Intl.NumberFormatOptions).format(60);
      expect(messages('en-Latn-ZA').money(60, 'USD')).to.equal(intl('en-Latn-ZA', 'USD'));
      expect(messages('de-Latn-CH').money(60, 'EUR')).to.equal(intl('de-Latn-CH', 'EUR'));
      expect(made).to.deep.equal(['USD', 'EUR']);
    } finally {
      Intl.NumberFormat = NumberFormat;
    }
  });

  it('writes an English date without making an Intl object', () => {
    const made: string[] = [];
    const { DateTimeFormat } = Intl;
    Intl.DateTimeFormat = new Proxy(DateTimeFormat, { construct: (target, args) => (made.push(String(args[0])), new target(...(args as []))) });
    try {
      // Before any other test asks for dates in en or en-US (messages are cached per locale).
      expect([messages('en').date('2025-09-23T12:00:00Z'), messages('en-US').date('2024-05-30T12:00:00Z')]).to.deep.equal(['Sep 23, 2025', 'May 30, 2024']);
      expect(made).to.deep.equal([]);
      expect(messages('en-GB-oxendict').date('2025-09-23T12:00:00Z')).to.equal(new DateTimeFormat('en-GB-oxendict', { dateStyle: 'medium' }).format(new Date('2025-09-23T12:00:00Z')));
      expect(made).to.deep.equal(['en-GB-oxendict']);
    } finally {
      Intl.DateTimeFormat = DateTimeFormat;
    }
  });

  it('writes every date as Intl does, in every region of each catalog language', () => {
    const isos = ['2025-01-03T12:00:00Z', '2025-09-23T00:30:00Z', '2024-05-30T23:59:59Z', '2024-02-29', '1999-12-31T23:00:00-05:00', '0999-01-03T12:00:00Z', '-000100-06-01T00:00:00Z'];
    for (const locale of catalogLocales(['-150', '-u-ca-buddhist'])) {
      const m = messages(locale);
      const intl = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
      for (const iso of isos) expect(m.date(iso), `${locale} ${iso}`).to.equal(intl.format(new Date(iso)));
      expect(m.date('not a date')).to.equal('');
    }
  });

  it('formats money per currency, and falls back to a number for an unknown one', () => {
    const m = messages('en');
    expect(m.money(100, 'EUR')).to.equal('€100');
    expect(m.money(12.5, 'USD')).to.equal('$12.50');
    expect(m.money(100, 'EUR')).to.equal('€100');
    expect(m.money(7, 'NOPE!')).to.equal('7');
  });
});
