// A kind of document the console lists and edits through a form (a badge, a reward, a
// webhook endpoint…): its routes, its fields and how to describe one in a list. Sections
// that manage documents extend DocumentsSection (documents-section.ts) with their kinds.
import type { Field, Values } from './forms.js';
import { t } from './messages.js';

export interface Kind {
  /** Stable key: the message key of its title, and the kind the server checks (POST /v1/console/check/:kind). */
  key: string;
  /** The title of its list and form. */
  title: () => string;
  /** GET: a list (`{data}` or under `listKey`), or (single) the one document. */
  listPath: string;
  listKey?: string;
  putPath: (id: string) => string;
  /** One document per shop (the points program): no id, no list. */
  single?: boolean;
  fields: () => Field[];
  defaults: () => Values;
  /** Form values of a stored document, for what `valuesOf` cannot guess. */
  extraValues?: (doc: any) => Values;
  /** Last touches on the body (constants, null for "none"). */
  finish?: (body: Record<string, any>, values: Values) => void;
  /** Checked live by the server as the owner types (the same schema the save uses). */
  liveCheck?: boolean;
  describe: (doc: any) => string;
  /** Fields a read adds that a write refuses (views with computed parts). */
  readOnly?: string[];
}

export const idField = (hint = t('idHint')): Field => ({ name: 'id', label: t('id'), type: 'text', required: true, hint, uiOnly: true });

/** The documents of a list answer: `{data: [...]}` (the paged shape) or the kind's own key. */
export const listOf = (kind: Kind, body: any): any[] => (Array.isArray(body?.data) ? body.data : (body?.[kind.listKey ?? ''] ?? []));
