// Pieces of markup every data widget shows the same way.
import { html } from 'lit';
import type { ErrorKind } from './api.js';
import type { Messages } from './messages.js';

export const errorText = (m: Messages, kind: ErrorKind) =>
  kind === 'setup' ? m.errorSetup : kind === 'network' ? m.errorNetwork : m.errorServer;

/** The error box: what went wrong in the reader's words and a native retry button (styled in tokens.ts). */
export const errorBox = (m: Messages, kind: ErrorKind, retry: () => void) =>
  html`<div part="error"><p part="error-message">${errorText(m, kind)}</p><button part="retry-button" type="button" @click=${retry}>${m.retry}</button></div>`;
