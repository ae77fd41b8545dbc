// A section that lists documents of some kinds and edits one at a time in a form
// (Programs, Webhooks). The form's errors come from the server: live as the owner types
// (POST /v1/console/check/:kind, the schema the save uses) and on save, each at its field
// by JSON pointer, all at once.
import { html, nothing, type TemplateResult } from 'lit';
import { bodyOf, errorsOf, pointerOf, renderField, valuesOf, type Field, type Values } from './forms.js';
import type { Kind } from './kind.js';
import { listOf } from './kind.js';
import { t } from './messages.js';
import { ConsoleSection } from './section.js';

export interface Editing {
  kind: string;
  isNew: boolean;
  id?: string;
  original?: Record<string, unknown>;
  values: Values;
  /** Fields the user has changed: live errors show for these only. */
  touched: Set<string>;
  liveErrors: Record<string, string>;
  serverErrors: Record<string, string>;
  status?: string;
  formError?: string;
  busy?: boolean;
}

/** A stored document minus what the server sets, minus the fields the form owns: what the form's body goes on top of. */
function mergeOver(original: Record<string, unknown>, body: Record<string, unknown>, fields: readonly Field[], readOnly: readonly string[] = []) {
  const base: Record<string, unknown> = { ...original };
  for (const key of ['id', 'createdAt', 'updatedAt', ...readOnly]) delete base[key];
  for (const f of fields) if (!f.uiOnly) delete base[f.name.split('.')[0]!];
  return { ...base, ...body };
}

const LIVE_DELAY_MS = 250;

export abstract class DocumentsSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, lists: { state: true }, editing: { state: true } };
  lists: Record<string, any> = {};
  editing?: Editing;
  private liveTimer?: ReturnType<typeof setTimeout>;
  private liveSeq = 0;

  /** Every kind this section can show. */
  protected abstract kindOf(key: string): Kind;

  /** After a save: what else to do (show a secret the answer carried once…). */
  protected afterSave(_kind: Kind, _id: string, _answer: any): Promise<void> | void {}

  override disconnectedCallback(): void {
    clearTimeout(this.liveTimer);
    super.disconnectedCallback();
  }

  protected async loadKind(key: string) {
    const kind = this.kindOf(key);
    const r = await this.ctx.call(kind.listPath);
    this.lists = { ...this.lists, [key]: r.ok ? (kind.single ? r.data : listOf(kind, r.data)) : { error: this.ctx.problemText(r) } };
    if (kind.single && r.ok && (!this.editing || this.editing.kind !== key)) this.startEdit(key, r.data, false);
  }

  protected startEdit(key: string, doc: any | undefined, focus = true) {
    const kind = this.kindOf(key);
    const fields = kind.fields();
    const values = doc ? { ...valuesOf(fields, doc), ...kind.extraValues?.(doc) } : kind.defaults();
    this.editing = { kind: key, isNew: !doc && !kind.single, id: doc?.id, original: doc, values, touched: new Set(), liveErrors: {}, serverErrors: {} };
    if (focus) void this.focusAfterRender('#edit-h');
  }

  /** The body a save sends, and its id. */
  private request(kind: Kind, ed: Editing) {
    const fields = kind.fields();
    const id = kind.single ? '' : ed.isNew ? String(ed.values.id ?? '').trim() : ed.id!;
    let body: Record<string, unknown> = bodyOf(fields, ed.values);
    kind.finish?.(body, ed.values);
    if (!ed.isNew && ed.original) body = mergeOver(ed.original, body, fields, kind.readOnly);
    return { id, body };
  }

  private editErrors(ed: Editing): Record<string, string> {
    const live: Record<string, string> = {};
    for (const [pointer, message] of Object.entries(ed.liveErrors)) {
      // A field's own error once it was touched; a form-wide one (e.g. /criteria) once anything was.
      const touched = [...ed.touched].some((name) => pointerOf(name) === pointer || pointerOf(name).startsWith(pointer + '/'));
      if (touched) live[pointer] = message;
    }
    return { ...live, ...ed.serverErrors };
  }

  private onEditChange(name: string, value: unknown) {
    const ed = this.editing!;
    const serverErrors = { ...ed.serverErrors };
    const pointer = pointerOf(name);
    for (const p of Object.keys(serverErrors)) if (p === pointer || p.startsWith(pointer + '/')) delete serverErrors[p];
    this.editing = { ...ed, values: { ...ed.values, [name]: value }, touched: new Set([...ed.touched, name]), serverErrors, status: undefined };
    if (this.kindOf(ed.kind).liveCheck) {
      clearTimeout(this.liveTimer);
      this.liveTimer = setTimeout(() => void this.checkLive(), LIVE_DELAY_MS);
    }
  }

  /** Asks the server what it would say of the form as it stands, without saving. */
  private async checkLive() {
    const ed = this.editing;
    if (!ed) return;
    const kind = this.kindOf(ed.kind);
    const { id, body } = this.request(kind, ed);
    const seq = ++this.liveSeq;
    const r = await this.ctx.call<{ errors: { pointer: string; detail: string }[] }>(`/v1/console/check/${kind.key}`, {
      method: 'POST',
      body: { ...(ed.isNew && { id }), body },
    });
    // Only the latest answer, and only for the form it was asked about.
    if (seq !== this.liveSeq || !r.ok || this.editing?.kind !== ed.kind || this.editing.id !== ed.id) return;
    this.editing = { ...this.editing, liveErrors: errorsOf(r.data) };
  }

  private async saveEdit(e: SubmitEvent) {
    e.preventDefault();
    const ed = this.editing!;
    const kind = this.kindOf(ed.kind);
    const { id, body } = this.request(kind, ed);
    if (!kind.single && !id) {
      this.editing = { ...ed, serverErrors: { '/id': t('requiredField') }, formError: t('fixErrors', { count: 1 }) };
      await this.focusFirstInvalid();
      return;
    }
    this.editing = { ...ed, busy: true, formError: undefined, status: undefined };
    const r = await this.ctx.call(kind.putPath(id), { method: 'PUT', body });
    if (r.ok) {
      const { secret, ...saved } = r.data ?? {};
      const status = r.status === 201 ? t('created') : t('saved');
      this.startEdit(ed.kind, saved, false);
      this.editing = { ...this.editing!, status };
      this.ctx.say(status);
      void this.loadKind(ed.kind);
      await this.afterSave(kind, id, { secret });
      return;
    }
    const serverErrors = errorsOf(r.data);
    const count = Object.keys(serverErrors).length;
    this.editing = { ...ed, busy: false, serverErrors, formError: count ? t('fixErrors', { count }) : this.ctx.problemText(r) };
    await this.focusFirstInvalid();
  }

  protected async focusFirstInvalid() {
    await this.updateComplete;
    const first = this.$('form [aria-invalid="true"]');
    (first ?? this.$('.form-error'))?.focus();
  }

  /** Errors whose pointer no visible field shows: listed at the top of the form, so none is lost. */
  private orphanErrors(errors: Record<string, string>, form: string): [string, string][] {
    const shown = new Set([...this.querySelectorAll<HTMLElement>(`#${form} [data-pointer]`)].map((el) => el.dataset.pointer));
    return Object.entries(errors).filter(([pointer]) => !shown.has(pointer) && ![...shown].some((s) => s && pointer.startsWith(s + '/')));
  }

  protected renderEditForm(kind: Kind): TemplateResult | typeof nothing {
    const ed = this.editing;
    if (!ed || ed.kind !== kind.key) return nothing;
    const errors = this.editErrors(ed);
    const fields = kind.fields().filter((f) => f.name !== 'id' || ed.isNew);
    const orphans = this.orphanErrors(errors, 'edit-form');
    const title = kind.single ? kind.title() : ed.isNew ? `${t('newItem')} · ${kind.title()}` : t('edit', { name: ed.id! });
    return html`<form id="edit-form" class=${kind.single ? 'card wide' : 'card'} novalidate @submit=${this.saveEdit} aria-labelledby="edit-h">
      <h3 id="edit-h" tabindex="-1">${title}</h3>
      ${ed.formError ? html`<p class="error form-error" role="alert" tabindex="-1">${ed.formError}</p>` : nothing}
      ${orphans.length
        ? html`<ul class="error">
            ${orphans.map(([p, m]) => html`<li>${p || '/'}: ${m}</li>`)}
          </ul>`
        : nothing}
      ${fields.map((f) => renderField(f, { form: 'edit', values: ed.values, errors, onChange: (n, v) => this.onEditChange(n, v) }))}
      <div class="actions">
        <button type="submit" ?disabled=${ed.busy}>${ed.busy ? t('saving') : t('save')}</button>
        ${kind.single ? nothing : html`<button type="button" class="secondary" @click=${() => (this.editing = undefined)}>${t('cancel')}</button>`}
      </div>
      <p class="status" role="status">${ed.status ?? ''}</p>
    </form>`;
  }
}
