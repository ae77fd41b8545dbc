// The platform guides are what a shop follows to sign shopper identities: they
// must name the shop's identity secret, and never tell a theme to hold the
// secret API key (issue 16, docs/access.md "Identity-signing secret").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const guide = (name: string) => readFileSync(new URL(`../../docs/platforms/${name}.md`, import.meta.url), 'utf8').replace(/\s+/g, ' ');

describe.each(['shopify', 'woocommerce'])('docs/platforms/%s.md', (name) => {
  const text = guide(name);
  const signing = text.slice(text.indexOf('## 3.'), text.indexOf('## 4.'));

  it('signs the shopper identity with the identitySecret', () => {
    expect(signing).toMatch(/`identitySecret`/);
    expect(signing).toMatch(/never the secret API key/);
  });

  it('never offers the secret API key as the signing secret', () => {
    expect(signing).not.toMatch(/identity secret,? (it is )?the secret key/i);
  });
});
