import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    font-size: 1rem;
    line-height: 1.5;
    color: #1b1f24;
    letter-spacing: normal;
    text-transform: none;
    text-align: start;
    --accent: #0b57d0;
    --danger: #b3261e;
    --muted: #59636e;
    --line: #d0d7de;
  }
  * {
    box-sizing: border-box;
  }
  .skip {
    position: absolute;
    left: -10000px;
  }
  .skip:focus {
    left: 1rem;
    top: 1rem;
    z-index: 2;
    background: #fff;
    padding: 0.5rem 1rem;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1.5rem;
    padding: 0.75rem 1.5rem;
    background: #fff;
    border-bottom: 1px solid var(--line);
  }
  header h1 {
    font-size: 1.15rem;
    margin: 0;
  }
  header .shop {
    color: var(--muted);
  }
  nav ul {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  nav a {
    display: inline-block;
    padding: 0.4rem 0.8rem;
    border-radius: 999px;
    color: inherit;
    text-decoration: none;
  }
  nav a[aria-current='page'] {
    background: #e8f0fe;
    color: var(--accent);
    font-weight: 600;
  }
  nav a:hover {
    text-decoration: underline;
  }
  header .spacer {
    flex: 1;
  }
  main {
    max-width: 72rem;
    margin: 0 auto;
    padding: 1.5rem;
  }
  h2 {
    font-size: 1.5rem;
    margin: 0 0 1rem;
  }
  h3 {
    font-size: 1.15rem;
    margin: 1.5rem 0 0.5rem;
  }
  .card > h3:first-child,
  .card > h2:first-child {
    margin-top: 0;
  }
  h4 {
    margin: 1rem 0 0.25rem;
  }
  h2:focus,
  h3:focus {
    outline: none;
  }
  .card {
    background: #fff;
    border: 1px solid var(--line);
    border-radius: 12px;
    padding: 1rem 1.25rem;
    margin-bottom: 1rem;
  }
  .signin {
    max-width: 28rem;
    margin: 4rem auto;
  }
  :focus-visible {
    outline: 3px solid var(--accent);
    outline-offset: 2px;
  }
  button,
  a.button {
    font: inherit;
    padding: 0.45rem 1rem;
    border-radius: 8px;
    border: 1px solid var(--accent);
    background: var(--accent);
    color: #fff;
    cursor: pointer;
  }
  button.secondary,
  a.button.secondary {
    background: #fff;
    color: var(--accent);
  }
  button.danger {
    background: var(--danger);
    border-color: var(--danger);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  .field {
    display: grid;
    gap: 0.25rem;
    margin: 0 0 0.85rem;
  }
  .field.check {
    grid-template-columns: auto 1fr;
    align-items: center;
    column-gap: 0.5rem;
  }
  .field.check .hint,
  .field.check .field-error {
    grid-column: 1 / -1;
  }
  label {
    font-weight: 600;
  }
  .req,
  .hint {
    color: var(--muted);
    font-weight: normal;
    font-size: 0.9rem;
    margin: 0;
  }
  input[type='text'],
  input[type='password'],
  input[type='date'],
  input[type='datetime-local'],
  input[type='search'],
  select,
  textarea {
    font: inherit;
    width: 100%;
    max-width: 32rem;
    padding: 0.45rem 0.6rem;
    border: 1px solid #8c959f;
    border-radius: 6px;
    background: #fff;
    color: inherit;
  }
  [aria-invalid='true'] {
    border-color: var(--danger);
    border-width: 2px;
  }
  .field-error,
  .error {
    color: var(--danger);
    margin: 0;
    font-size: 0.95rem;
  }
  .field-error::before {
    content: '⚠ ';
  }
  .status {
    color: #116329;
    margin: 0.5rem 0;
  }
  fieldset {
    border: 1px solid var(--line);
    border-radius: 8px;
    margin: 0 0 1rem;
    padding: 0.75rem 1rem;
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  fieldset.row {
    display: flex;
    flex-wrap: wrap;
    gap: 0 1rem;
    align-items: end;
  }
  fieldset.row .field {
    flex: 1 1 10rem;
  }
  fieldset.row > button {
    margin-bottom: 0.85rem;
  }
  pre {
    background: #f6f8fa;
    border: 1px solid var(--line);
    border-radius: 8px;
    padding: 0.75rem;
    overflow-x: auto;
    white-space: pre-wrap;
    word-break: break-all;
    margin: 0 0 0.5rem;
  }
  .copy-row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: start;
    margin-bottom: 0.5rem;
  }
  .copy-row pre {
    flex: 1 1 20rem;
  }
  .tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    list-style: none;
    padding: 0;
    margin: 0 0 1rem;
  }
  .tabs button[aria-pressed='false'] {
    background: #fff;
    color: var(--accent);
  }
  .items {
    list-style: none;
    padding: 0;
    margin: 0 0 1rem;
  }
  .items li {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    align-items: center;
    padding: 0.4rem 0;
    border-bottom: 1px solid #eaeef2;
  }
  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr));
    gap: 1rem;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.95rem;
  }
  th,
  td {
    text-align: start;
    padding: 0.3rem 0.5rem;
    border-bottom: 1px solid #eaeef2;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .kpis {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 13rem), 1fr));
    gap: 1rem;
    margin-bottom: 1rem;
  }
  .kpi {
    background: #fff;
    border: 1px solid var(--line);
    border-radius: 12px;
    padding: 0.75rem 1rem;
  }
  .kpi .value {
    display: block;
    font-size: 2rem;
    font-weight: 700;
  }
  .kpi .label {
    font-weight: 600;
  }
  .kpi p {
    margin: 0;
    color: var(--muted);
    font-size: 0.9rem;
  }
  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr));
    gap: 1rem;
  }
  figure.chart {
    margin: 0;
    background: #fff;
    border: 1px solid var(--line);
    border-radius: 12px;
    padding: 0.75rem 1rem;
  }
  figcaption {
    display: grid;
    gap: 0.1rem;
  }
  .chart-title {
    font-weight: 700;
  }
  .chart-headline {
    font-size: 1.1rem;
  }
  .chart-summary {
    color: var(--muted);
    font-size: 0.9rem;
  }
  figure svg {
    width: 100%;
    height: auto;
    display: block;
    margin: 0.5rem 0;
  }
  .grid {
    stroke: #eaeef2;
  }
  .zero {
    stroke: #8c959f;
  }
  .axis {
    font-size: 12px;
    fill: var(--muted);
  }
  .line {
    fill: none;
    stroke-width: 2.5;
  }
  .s0 {
    stroke: #0b57d0;
    fill: #0b57d0;
  }
  .s1 {
    stroke: #b3261e;
    fill: #b3261e;
  }
  .s2 {
    stroke: #146c2e;
    fill: #146c2e;
  }
  .s3 {
    stroke: #8a4b00;
    fill: #8a4b00;
  }
  .swatch.s0 {
    background: #0b57d0;
  }
  .swatch.s1 {
    background: #b3261e;
  }
  .swatch.s2 {
    background: #146c2e;
  }
  .swatch.s3 {
    background: #8a4b00;
  }
  .line.s1 {
    stroke-dasharray: 6 4;
  }
  .line.s2 {
    stroke-dasharray: 2 3;
  }
  .line.s3 {
    stroke-dasharray: 10 3 2 3;
  }
  path.line {
    fill: none;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    list-style: none;
    padding: 0;
    margin: 0 0 0.5rem;
    font-size: 0.9rem;
  }
  .swatch {
    display: inline-block;
    width: 0.8rem;
    height: 0.8rem;
    border-radius: 2px;
    margin-inline-end: 0.35rem;
    vertical-align: -0.05rem;
  }
  details summary {
    cursor: pointer;
    color: var(--accent);
  }
  dialog {
    max-width: 30rem;
    border: 1px solid var(--line);
    border-radius: 12px;
    padding: 1.25rem;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-top: 0.5rem;
  }
  .badges {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    list-style: none;
    padding: 0;
  }
  .badges li {
    background: #f6f8fa;
    border: 1px solid var(--line);
    border-radius: 999px;
    padding: 0.2rem 0.7rem;
  }
  a.button {
    display: inline-block;
    text-decoration: none;
  }
  .actions.inline {
    margin-top: 0;
    flex: 0 0 auto;
    justify-content: end;
  }
  .intro {
    max-width: 48rem;
    margin: 0 0 1rem;
  }
  fieldset.checks .field.check {
    margin: 0 0 0.35rem;
  }
  fieldset.checks .field.check label {
    font-weight: normal;
  }
  .items.endpoints li {
    flex-wrap: wrap;
    align-items: start;
  }
  .items.endpoints .actions.inline {
    flex-shrink: 1;
    min-width: 0;
    justify-content: start;
  }
  .endpoint {
    flex: 1 1 16rem;
    min-width: 0;
  }
  .endpoint code.url,
  .endpoint small {
    display: block;
    overflow-wrap: anywhere;
  }
  .endpoint small,
  .muted {
    color: var(--muted);
  }
  .on {
    color: #116329;
    font-weight: 600;
  }
  .off {
    color: var(--danger);
    font-weight: 600;
  }
  .secret {
    border: 2px solid #8a4b00;
    background: #fff8e6;
  }
  .secret .once {
    color: #6b3a00;
  }
  .secret pre {
    background: #fff;
  }
  .table-wrap {
    overflow-x: auto;
  }
  td.time {
    white-space: nowrap;
  }
  td.err {
    overflow-wrap: anywhere;
    min-width: 10rem;
  }
  .qr-sheet {
    margin: 0 0 1rem;
    display: grid;
    justify-items: center;
    gap: 0.5rem;
    text-align: center;
  }
  .qr-sheet img {
    width: min(100%, 16rem);
    height: auto;
    border: 1px solid var(--line);
  }
  .qr-sheet figcaption {
    display: grid;
  }
  .qr-name {
    font-weight: 700;
    font-size: 1.15rem;
  }
  .qr-place {
    color: var(--muted);
  }
  /* Two columns where the page is wide (stacked on a phone): Customers, Install. */
  .install-layout,
  .customers-layout {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
    gap: 1rem;
    align-items: start;
  }
  th[scope='row'] {
    text-align: start;
    font-weight: normal;
    padding: 0.3rem 0.5rem;
    border-bottom: 1px solid #eaeef2;
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  button.link {
    background: none;
    border: none;
    padding: 0.25rem 0;
    min-height: 0;
    color: var(--accent);
    text-decoration: underline;
    font: inherit;
    cursor: pointer;
    text-align: start;
    word-break: break-all;
  }
  button.link[aria-current='true'] {
    font-weight: 600;
  }
  /* A form alone on the page (the points program): fields side by side, groups full width. */
  form.wide {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr));
    gap: 0 1.5rem;
    align-items: start;
  }
  form.wide > :is(h3, fieldset, .error, ul, .actions, .status) {
    grid-column: 1 / -1;
  }
  .warning {
    border-inline-start: 4px solid var(--danger);
    padding: 0.25rem 0 0.25rem 0.75rem;
  }
  .setup h4 {
    margin-bottom: 0.25rem;
  }
  .pager {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    margin-top: 0.75rem;
  }
  @media print {
    :host([print-mode]) .skip,
    :host([print-mode]) header,
    :host([print-mode]) .no-print,
    :host([print-mode]) main > * > :not(.columns),
    :host([print-mode]) .columns > :not(:has(.qr-view)) {
      display: none !important;
    }
    :host([print-mode]) main {
      padding: 0;
      max-width: none;
    }
    :host([print-mode]) .columns {
      display: block;
    }
    :host([print-mode]) .qr-view {
      border: none;
      padding: 0;
      margin: 0;
    }
    :host([print-mode]) .qr-sheet {
      margin-top: 2cm;
    }
    :host([print-mode]) .qr-sheet img {
      width: 12cm;
      border: none;
    }
    :host([print-mode]) .qr-name {
      font-size: 28pt;
    }
    :host([print-mode]) .qr-place {
      font-size: 18pt;
      color: #000;
    }
  }
  @media (max-width: 40rem) {
    main {
      padding: 1rem;
    }
    header {
      padding: 0.75rem 1rem;
    }
  }
`;
