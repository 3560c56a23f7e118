/**
 * JSON for a `<script type="application/ld+json">` block of an HTML page. The HTML parser ends the
 * block at the first `</script` whatever the JSON means by it, and a `<!--` in it changes how the
 * parser looks for that end; a title is the owner's text, so neither may reach the HTML as is.
 * `<`, `>` and `&` are written as JSON's `\u003c`-style escapes, which any JSON reader turns back
 * into the same characters (a title keeps its `<`); U+2028 and U+2029 too, which older script
 * engines took for line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The page's HTML with one JSON-LD block at the end of its head; the HTML unchanged when it has no `</head>`. */
export function withJsonLd(html: string, id: string, value: unknown): string {
  const end = html.search(/<\/head>/i);
  if (end < 0) return html;
  return `${html.slice(0, end)}<script type="application/ld+json" id="${id}">${jsonForScript(value)}</script>\n${html.slice(end)}`;
}
