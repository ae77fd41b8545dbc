// The frame of the pages Kudos serves itself to shoppers (market check-in, consent
// withdrawal, post-delivery survey): no script, one stylesheet of ours, not indexed.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every text from data goes through this: these pages are plain HTML strings. */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A whole page: `body` is trusted HTML built with `esc`; `title` is text. */
export function hostedPage(locale: string, title: string, stylesheet: string, body: string): string {
  return `<!doctype html>
<html lang="${esc(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${esc(stylesheet)}">
</head>
<body>
<main>
<div class="card">
${body}
</div>
</main>
</body>
</html>`;
}
