// What every console section is: a Lit element rendered in the shell's shadow root
// (light DOM of its own, so the shell's stylesheet and one id space cover it), handed a
// context with the shop and the shell's services. See README.md, "Adding a section".
import { LitElement, type TemplateResult } from 'lit';
import type { ApiResult } from './api.js';
import type { Scope } from '../server/access/scopes.js';

export type { Scope };

/** GET /v1/key: the key the console signed in with. */
export interface SignedInKey {
  id: string;
  name: string;
  kind: 'secret' | 'publishable';
  scopes: Scope[];
}

/** GET /v1/console/install: the shop and its exact tags. */
export interface Install {
  shop: { id: string; name: string; origins?: string[]; timeZone?: string };
  publishableKey: string;
  scriptTag: string;
  elements: string[];
  lastSeen: { origin: string; at: string } | null;
  [more: string]: unknown;
}

/** The shell's services a section uses. */
export interface ConsoleContext {
  /** The shop, and for an admin key its install answer (a scoped key gets the shop only). */
  readonly install: Install;
  readonly key: SignedInKey;
  /** The key holds this scope (admin holds every scope). */
  can(scope: Scope): boolean;
  /** Same-origin API call with the secret key; a 401 signs the owner out. */
  call<T = any>(path: string, init?: { method?: string; body?: unknown }): Promise<ApiResult<T>>;
  /** A problem+json (or a network failure) as one sentence for the owner. */
  problemText(r: { status: number; data: any }): string;
  /** Polite live-region announcement ("Saved", "Copied"). */
  say(message: string): void;
  copy(text: string): Promise<void>;
  /** Re-reads the install answer (e.g. after the shop's settings changed). */
  refreshInstall(): Promise<void>;
}

/** One entry of the navigation: console/sections/index.ts lists them in order. */
export interface SectionDef {
  /** The URL hash (#id) and the nav link. */
  id: string;
  /** The nav label and page title, in the page's language. */
  title: () => string;
  /** The section's element, handed the context. */
  render: (ctx: ConsoleContext) => TemplateResult;
  /** The scope a key needs to see the section (server/access/scopes.ts); admin when unset. */
  scope?: Scope;
}

export abstract class ConsoleSection extends LitElement {
  static override properties = { ctx: { attribute: false } };
  ctx!: ConsoleContext;

  // Rendered into the shell's shadow root: its styles apply, and the shell can focus our h2.
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** The first element matching `selector` in this section. */
  protected $<E extends Element = HTMLElement>(selector: string): E | null {
    return this.querySelector<E>(selector);
  }

  /** After the next render, focus what `selector` finds (a heading with tabindex="-1", a field). */
  protected async focusAfterRender(selector: string): Promise<void> {
    await this.updateComplete;
    this.$(selector)?.focus();
  }
}
