// Keys: create a scoped key (shown once), list the shop's keys, revoke one (its consoles are
// signed out by their next call), roll one with an overlap, roll the identity secret.
// Admin only (GET/POST /v1/keys…, server/access/routes.ts).
import { html, nothing, type TemplateResult } from 'lit';
import { errorsOf } from '../../forms.js';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type Scope, type SectionDef } from '../../section.js';
import { t } from './messages.js';

const SCOPES: readonly Scope[] = ['admin', 'events', 'staff', 'analytics', 'market'];

interface KeyView {
  id: string;
  name: string;
  kind: 'secret' | 'publishable';
  scopes: Scope[];
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  active: boolean;
}

/** A value the API answered once: shown until dismissed, never stored. */
interface Shown {
  title: string;
  note: string;
  value: string;
}

export class KeysSection extends ConsoleSection {
  static override properties = {
    ...ConsoleSection.properties,
    keys: { state: true },
    error: { state: true },
    form: { state: true },
    shown: { state: true },
    revoking: { state: true },
    roll: { state: true },
    identity: { state: true },
  };
  keys?: KeyView[];
  error = '';
  form: { name: string; scopes: Scope[]; errors: Record<string, string>; busy?: boolean; error?: string } = { name: '', scopes: [], errors: {} };
  shown?: Shown;
  revoking?: KeyView;
  roll: { keyId: string; hours: string; errors: Record<string, string>; error?: string } = { keyId: '', hours: '24', errors: {} };
  identity: { hours: string; count?: number; errors: Record<string, string>; error?: string } = { hours: '24', errors: {} };

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const [keys, ids] = await Promise.all([this.ctx.call<{ data: KeyView[] }>('/v1/keys'), this.ctx.call<{ data: { active: boolean }[] }>('/v1/identity-secrets')]);
    this.error = keys.ok ? '' : this.ctx.problemText(keys);
    if (keys.ok) this.keys = keys.data.data;
    if (ids.ok) this.identity = { ...this.identity, count: ids.data.data.filter((s) => s.active).length };
  }

  private async show(shown: Shown) {
    this.shown = shown;
    await this.focusAfterRender('#key-once-h');
  }

  private async create(e: SubmitEvent) {
    e.preventDefault();
    const f = this.form;
    this.form = { ...f, busy: true, errors: {}, error: undefined };
    const r = await this.ctx.call<KeyView & { key: string }>('/v1/keys', { body: { name: f.name, scopes: f.scopes } });
    if (!r.ok) {
      const errors = errorsOf(r.data);
      this.form = { ...f, busy: false, errors, error: Object.keys(errors).length ? undefined : this.ctx.problemText(r) };
      await this.updateComplete;
      this.$<HTMLElement>(errors['/name'] ? '#key-name' : errors['/scopes'] ? '#key-scope-admin' : '#key-form-error')?.focus();
      return;
    }
    this.form = { name: '', scopes: [], errors: {} };
    await this.load();
    await this.show({ title: t('keyOnceTitle', { name: r.data.name }), note: t('keyOnce'), value: r.data.key });
  }

  private async revoke(e: SubmitEvent) {
    e.preventDefault();
    const key = this.revoking!;
    const r = await this.ctx.call<KeyView>(`/v1/keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
    this.$<HTMLDialogElement>('#revoke-dialog')!.close();
    this.revoking = undefined;
    if (!r.ok) {
      this.error = this.ctx.problemText(r);
      return;
    }
    this.error = '';
    this.ctx.say(t('revokedSay', { name: key.name }));
    await this.load();
    await this.focusAfterRender('#keys-list-h');
  }

  private async openRevoke(key: KeyView) {
    this.revoking = key;
    await this.updateComplete;
    this.$<HTMLDialogElement>('#revoke-dialog')!.showModal();
  }

  private async rollKey(e: SubmitEvent) {
    e.preventDefault();
    const ro = this.roll;
    const key = this.keys?.find((k) => k.id === ro.keyId);
    if (!key) return;
    const r = await this.ctx.call<{ key: string; previous: { expiresAt: string } }>(`/v1/keys/${encodeURIComponent(key.id)}/roll`, { body: { overlapHours: Number(ro.hours) } });
    if (!r.ok) {
      const errors = errorsOf(r.data);
      this.roll = { ...ro, errors, error: errors['/overlapHours'] ? undefined : this.ctx.problemText(r) };
      await this.updateComplete;
      this.$<HTMLElement>(errors['/overlapHours'] ? '#roll-hours' : '#roll-error')?.focus();
      return;
    }
    this.roll = { keyId: '', hours: ro.hours, errors: {} };
    await this.load();
    await this.show({ title: t('keyOnceTitle', { name: key.name }), note: `${t('rolledOnce', { name: key.name, at: fmt.dateTime(r.data.previous.expiresAt) })} ${t('keyOnce')}`, value: r.data.key });
  }

  private async rollIdentity(e: SubmitEvent) {
    e.preventDefault();
    const id = this.identity;
    const r = await this.ctx.call<{ identitySecret: string; previousExpiresAt: string }>('/v1/identity-secrets/roll', { body: { overlapHours: Number(id.hours) } });
    if (!r.ok) {
      const errors = errorsOf(r.data);
      this.identity = { ...id, errors, error: errors['/overlapHours'] ? undefined : this.ctx.problemText(r) };
      await this.updateComplete;
      this.$<HTMLElement>(errors['/overlapHours'] ? '#identity-hours' : '#identity-error')?.focus();
      return;
    }
    this.identity = { ...id, errors: {}, error: undefined };
    await this.load();
    await this.show({ title: t('identityTitle'), note: t('identityOnce', { at: fmt.dateTime(r.data.previousExpiresAt) }), value: r.data.identitySecret });
  }

  private stateOf(k: KeyView): string {
    if (!k.expiresAt) return t('active');
    return k.active ? t('activeUntil', { at: fmt.dateTime(k.expiresAt) }) : t('revoked', { at: fmt.dateTime(k.expiresAt) });
  }

  private hoursField(id: string, value: string, error: string | undefined, set: (v: string) => void): TemplateResult {
    return html`<div class="field">
      <label for=${id}>${t('overlapHours')}</label>
      <input
        id=${id}
        type="text"
        inputmode="numeric"
        .value=${value}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${id}-hint ${id}-error` : `${id}-hint`}
        @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
      />
      <p class="hint" id="${id}-hint">${t('overlapHint')}</p>
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  private renderShown(): TemplateResult | typeof nothing {
    const s = this.shown;
    if (!s) return nothing;
    return html`<section class="card secret" aria-labelledby="key-once-h">
      <h3 id="key-once-h" tabindex="-1">${s.title}</h3>
      <p class="once"><strong>${s.note}</strong></p>
      <div class="copy-row">
        <pre><code id="key-once-value">${s.value}</code></pre>
        <button type="button" class="secondary" @click=${() => this.ctx.copy(s.value)}>${t('copy')}</button>
      </div>
      <div class="actions">
        <button type="button" @click=${async () => {
          this.shown = undefined;
          await this.focusAfterRender('#keys-list-h');
        }}>${t('dismiss')}</button>
      </div>
    </section>`;
  }

  private renderCreate(): TemplateResult {
    const f = this.form;
    const scopeError = f.errors['/scopes'] ?? Object.entries(f.errors).find(([p]) => p.startsWith('/scopes/'))?.[1];
    return html`<form class="card" id="key-form" @submit=${this.create} aria-labelledby="key-new-h" novalidate>
      <h3 id="key-new-h">${t('newKey')}</h3>
      <div class="field">
        <label for="key-name">${t('keyName')}</label>
        <input
          id="key-name"
          type="text"
          maxlength="80"
          autocomplete="off"
          .value=${f.name}
          aria-invalid=${f.errors['/name'] ? 'true' : 'false'}
          aria-describedby=${f.errors['/name'] ? 'key-name-hint key-name-error' : 'key-name-hint'}
          @input=${(e: Event) => (this.form = { ...this.form, name: (e.target as HTMLInputElement).value })}
        />
        <p class="hint" id="key-name-hint">${t('keyNameHint')}</p>
        ${f.errors['/name'] ? html`<p class="field-error" id="key-name-error">${f.errors['/name']}</p>` : nothing}
      </div>
      <fieldset aria-describedby=${scopeError ? 'key-scopes-error' : nothing}>
        <legend>${t('keyScopes')}</legend>
        ${SCOPES.map(
          (scope) => html`<div class="field check">
            <input
              id="key-scope-${scope}"
              type="checkbox"
              .checked=${f.scopes.includes(scope)}
              aria-invalid=${scopeError ? 'true' : 'false'}
              @change=${(e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                this.form = { ...this.form, scopes: on ? [...this.form.scopes, scope] : this.form.scopes.filter((s) => s !== scope) };
              }}
            />
            <label for="key-scope-${scope}">${t(`scope_${scope}`)}</label>
          </div>`,
        )}
        ${scopeError ? html`<p class="field-error" id="key-scopes-error">${scopeError}</p>` : nothing}
      </fieldset>
      ${f.error ? html`<p class="error" id="key-form-error" role="alert" tabindex="-1">${f.error}</p>` : nothing}
      <div class="actions"><button type="submit" ?disabled=${f.busy}>${t('createKey')}</button></div>
    </form>`;
  }

  private renderList(): TemplateResult {
    const keys = this.keys;
    return html`<section class="card" aria-labelledby="keys-list-h">
      <h3 id="keys-list-h" tabindex="-1">${t('keyList')}</h3>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${!keys
        ? html`<p>${t('loading')}</p>`
        : html`<div class="table-wrap">
            <table id="keys-table">
              <thead>
                <tr>
                  <th scope="col">${t('colName')}</th>
                  <th scope="col">${t('colKind')}</th>
                  <th scope="col">${t('colScopes')}</th>
                  <th scope="col">${t('colKey')}</th>
                  <th scope="col">${t('colCreated')}</th>
                  <th scope="col">${t('colState')}</th>
                  <th scope="col">${t('colActions')}</th>
                </tr>
              </thead>
              <tbody>
                ${keys.map(
                  (k) => html`<tr class=${k.active ? '' : 'muted'}>
                    <th scope="row">${k.name}</th>
                    <td>${t(`kind_${k.kind}`)}</td>
                    <td>${k.scopes.join(', ') || '—'}</td>
                    <td><code>${k.hint}</code></td>
                    <td>${fmt.date(k.createdAt)}</td>
                    <td>${this.stateOf(k)}</td>
                    <td>
                      ${k.active && k.kind === 'secret' && !k.expiresAt
                        ? html`<button type="button" class="danger" aria-label=${t('revokeNamed', { name: k.name })} @click=${() => this.openRevoke(k)}>${t('revoke')}</button>`
                        : nothing}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }

  private renderRoll(): TemplateResult {
    const ro = this.roll;
    const rollable = (this.keys ?? []).filter((k) => k.active && !k.expiresAt);
    const id = this.identity;
    return html`<div class="columns">
      <form class="card" id="roll-form" @submit=${this.rollKey} aria-labelledby="roll-h">
        <h3 id="roll-h">${t('rollTitle')}</h3>
        <p>${t('rollIntro')}</p>
        <div class="field">
          <label for="roll-key">${t('rollKey')}</label>
          <select id="roll-key" required .value=${ro.keyId} @change=${(e: Event) => (this.roll = { ...this.roll, keyId: (e.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${ro.keyId === ''}>—</option>
            ${rollable.map((k) => html`<option value=${k.id} ?selected=${ro.keyId === k.id}>${k.name} (${k.hint})</option>`)}
          </select>
        </div>
        ${this.hoursField('roll-hours', ro.hours, ro.errors['/overlapHours'], (v) => (this.roll = { ...this.roll, hours: v }))}
        ${ro.error ? html`<p class="error" id="roll-error" role="alert" tabindex="-1">${ro.error}</p>` : nothing}
        <div class="actions"><button type="submit" ?disabled=${!ro.keyId}>${t('rollSubmit')}</button></div>
      </form>
      <form class="card" id="identity-form" @submit=${this.rollIdentity} aria-labelledby="identity-h">
        <h3 id="identity-h">${t('identityTitle')}</h3>
        <p>${t('identityIntro')}</p>
        ${id.count !== undefined ? html`<p class="muted">${t('identityList', { n: fmt.number(id.count) })}</p>` : nothing}
        ${this.hoursField('identity-hours', id.hours, id.errors['/overlapHours'], (v) => (this.identity = { ...this.identity, hours: v }))}
        ${id.error ? html`<p class="error" id="identity-error" role="alert" tabindex="-1">${id.error}</p>` : nothing}
        <div class="actions"><button type="submit">${t('identityRoll')}</button></div>
      </form>
    </div>`;
  }

  override render(): TemplateResult {
    const r = this.revoking;
    return html`<h2 tabindex="-1">${t('keys')}</h2>
      <p class="intro">${t('keysIntro')}</p>
      ${this.renderShown()} ${this.renderCreate()} ${this.renderList()} ${this.renderRoll()}
      <dialog id="revoke-dialog" aria-labelledby="revoke-h" @close=${() => (this.revoking = undefined)}>
        <form @submit=${this.revoke}>
          <h3 id="revoke-h">${r ? t('revokeTitle', { name: r.name }) : ''}</h3>
          <p>${t('revokeWarning')}</p>
          <div class="actions">
            <button type="submit" class="danger">${t('revokeConfirm')}</button>
            <button type="button" class="secondary" @click=${() => this.$<HTMLDialogElement>('#revoke-dialog')!.close()}>${t('cancel')}</button>
          </div>
        </form>
      </dialog>`;
  }
}

if (!customElements.get('kc-keys')) customElements.define('kc-keys', KeysSection);

export const keysSection: SectionDef = {
  id: 'keys',
  title: () => t('keys'),
  render: (ctx) => html`<kc-keys .ctx=${ctx}></kc-keys>`,
  scope: 'admin',
};
