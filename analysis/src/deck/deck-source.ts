/**
 * The deck's source: a Markdown file whose slides are separated by lines holding only `---`.
 *
 * - An optional front matter (`---`, `title: …`, `---`) names the deck.
 * - A slide may open with property lines: `class: split appendix` (its layout, SLIDE_CLASSES) and
 *   `capture: name` (`npm run deck -- --screenshots DIR` saves it as DIR/deck-<name>.png).
 * - `{{ key }}` is a figure of the report and `![…](report:<kpi>)` a chart of it (deck-figures.ts);
 *   images are files beside the source, inlined when rendered.
 */

export class DeckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeckError';
  }
}

export const SLIDE_CLASSES = {
  title: 'the title slide: large, on the accent colour',
  section: 'a part of the deck begins: its title alone, large',
  split: 'text on the left, the images and charts on the right',
  appendix: 'marked « Annexe » in its corner',
  dense: 'smaller type, for a slide that must hold a command or a table',
} as const;

export type SlideClass = keyof typeof SLIDE_CLASSES;

export interface SlideSource {
  /** 1-based, as the counter shows it. */
  number: number;
  /** The line of the file where the slide's Markdown starts (after its property lines). */
  line: number;
  classes: SlideClass[];
  capture: string | null;
  markdown: string;
}

export interface DeckSource {
  /** As given, for messages. */
  file: string;
  title: string;
  slides: SlideSource[];
}

const SEPARATOR = /^---[ \t]*$/;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;
const PROPERTY = /^(class|capture):[ \t]*(.*?)[ \t]*$/;
const FRONT_MATTER_FIELDS = ['title'];

export function parseDeckSource(file: string, text: string): DeckSource {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  let title = 'Présentation';
  let start = 0;
  if (lines[0] !== undefined && SEPARATOR.test(lines[0])) {
    const end = lines.findIndex((l, i) => i > 0 && SEPARATOR.test(l));
    if (end < 0) throw new DeckError(`${file}: line 1: the front matter opened here is never closed by a line "---"`);
    for (let i = 1; i < end; i++) {
      const line = lines[i]!;
      if (line.trim() === '') continue;
      const m = /^([A-Za-z_-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
      if (!m) throw new DeckError(`${file}: line ${i + 1}: the front matter holds "field: value" lines, got "${line}"`);
      if (!FRONT_MATTER_FIELDS.includes(m[1]!)) throw new DeckError(`${file}: line ${i + 1}: unknown front-matter field "${m[1]}" (known: ${FRONT_MATTER_FIELDS.join(', ')})`);
      title = m[2]!;
    }
    start = end + 1;
  }

  // Cut at the separators that are not inside a fenced code block.
  const chunks: Array<{ first: number; lines: string[] }> = [];
  let chunk: { first: number; lines: string[] } = { first: start, lines: [] };
  let fence: string | null = null;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE.exec(line);
    if (f) {
      if (fence === null) fence = f[1]![0]!.repeat(f[1]!.length);
      else if (f[1]!.startsWith(fence)) fence = null;
    }
    if (fence === null && SEPARATOR.test(line)) {
      chunks.push(chunk);
      chunk = { first: i + 1, lines: [] };
    } else {
      chunk.lines.push(line);
    }
  }
  if (fence !== null) throw new DeckError(`${file}: a code block opened with ${fence} is never closed`);
  chunks.push(chunk);

  const blank = (c: { lines: string[] }) => c.lines.every((l) => l.trim() === '');
  // A separator before the first slide or after the last one is harmless; an empty slide between two is a mistake.
  while (chunks.length && blank(chunks[0]!)) chunks.shift();
  while (chunks.length && blank(chunks.at(-1)!)) chunks.pop();
  if (chunks.length === 0) throw new DeckError(`${file}: no slide (slides are separated by lines "---")`);

  const captures = new Map<string, number>();
  const slides = chunks.map((c, index): SlideSource => {
    const number = index + 1;
    const where = (line: number) => `${file}: slide ${number}, line ${line}`;
    if (blank(c)) throw new DeckError(`${file}: slide ${number}, line ${c.first}: the slide is empty (two "---" lines in a row?)`);
    let i = 0;
    while (c.lines[i]!.trim() === '') i++;
    const classes: SlideClass[] = [];
    let capture: string | null = null;
    for (let m = PROPERTY.exec(c.lines[i] ?? ''); m; m = PROPERTY.exec(c.lines[++i] ?? '')) {
      const line = c.first + i + 1;
      if (m[1] === 'class') {
        for (const name of m[2]!.split(/[\s,]+/).filter(Boolean)) {
          if (!(name in SLIDE_CLASSES)) throw new DeckError(`${where(line)}: unknown class "${name}" (known: ${Object.keys(SLIDE_CLASSES).join(', ')})`);
          classes.push(name as SlideClass);
        }
      } else {
        if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(m[2]!)) throw new DeckError(`${where(line)}: capture names a file: lower-case letters, digits and "-", got "${m[2]}"`);
        const other = captures.get(m[2]!);
        if (other !== undefined) throw new DeckError(`${where(line)}: capture "${m[2]}" is already slide ${other}'s`);
        captures.set(m[2]!, number);
        capture = m[2]!;
      }
    }
    return { number, line: c.first + i + 1, classes, capture, markdown: c.lines.slice(i).join('\n') };
  });
  return { file, title, slides };
}
