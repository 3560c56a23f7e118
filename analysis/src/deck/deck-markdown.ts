import MarkdownIt from 'markdown-it';
import { nearestKeys, type ReportFigures } from './deck-figures';
import { DeckError, type SlideClass, type SlideSource } from './deck-source';

type Token = MarkdownIt.Token;

/** What a slide's Markdown is rendered with: the report's figures and the images, already read. */
export interface SlideAssets {
  figures: ReportFigures;
  /** Each image's `src` as the Markdown gives it (imageSources) → its data URI. */
  images: ReadonlyMap<string, string>;
}

export interface RenderedSlide {
  number: number;
  title: string;
  classes: SlideClass[];
  capture: string | null;
  /** The slide's content, without its frame (deck.html.ts adds it). */
  html: string;
}

interface SlideEnv extends MarkdownIt.Env {
  figure(key: string): string;
  image(token: Token, alt: string): string;
}

/** `{{ key }}` → a `deck_figure` token; anything else opened by `{{` is an error, not text. */
function figureRule(state: MarkdownIt.StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== 0x7b || src.charCodeAt(pos + 1) !== 0x7b) return false;
  const m = /^\{\{([^{}]*)\}\}/.exec(src.slice(pos));
  const key = m?.[1]!.trim() ?? '';
  if (!m || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(key)) {
    throw new PlaceholderError(`malformed placeholder "${src.slice(pos, pos + 40).split('\n')[0]}": write {{ key }}, a key such as catalogue.films`, src.slice(pos, pos + 2 + (m?.[0].length ?? 20)));
  }
  if (!silent) state.push('deck_figure', '', 0).meta = { key };
  state.pos += m[0].length;
  return true;
}

/** Thrown while rendering; renderSlide turns it into a DeckError naming the file, slide and line. */
class PlaceholderError extends Error {
  constructor(
    message: string,
    /** What to look for in the slide's lines to say which line it is. */
    readonly needle: string | RegExp,
  ) {
    super(message);
  }
}

const md = MarkdownIt({ html: false, linkify: false, typographer: false });
md.inline.ruler.before('emphasis', 'deck_figure', figureRule);
const esc = (s: string): string => md.utils.escapeHtml(s);
md.renderer.rules.deck_figure = (tokens, idx, _options, env) => (env as SlideEnv).figure(String(tokens[idx]!.meta?.key));
md.renderer.rules.image = (tokens, idx, options, env) => {
  const token = tokens[idx]!;
  return (env as SlideEnv).image(token, md.renderer.renderInlineAsText(token.children ?? [], options, env));
};
// A table in a box of its own, which the printer's overflow check measures (a wide one is clipped, not spilled).
md.renderer.rules.table_open = () => '<div class="table"><table>\n';
md.renderer.rules.table_close = () => '</table></div>\n';

export const isChart = (src: string): boolean => src.startsWith('report:');
/** The placeholder of `key` as written, whatever its spaces. */
const placeholderAt = (key: string): RegExp => new RegExp(`\\{\\{\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}\\}`);
const attr = (token: Token, name: string): string | null => {
  const value = token.attrGet(name);
  return value === null ? null : String(value);
};

/** Every image a slide shows that is a file (not a chart), by its `src` as written. */
export function imageSources(slide: SlideSource, file: string): string[] {
  return inlineTokens(parse(slide, file))
    .filter((t) => t.type === 'image' && !isChart(attr(t, 'src') ?? ''))
    .map((t) => attr(t, 'src') ?? '');
}

export function renderSlide(slide: SlideSource, file: string, assets: SlideAssets): RenderedSlide {
  let tokens = parse(slide, file);
  const headingAt = tokens.findIndex((t) => t.type === 'heading_open' && t.level === 0);
  const title = headingAt >= 0 ? md.renderer.renderInlineAsText(tokens[headingAt + 1]?.children ?? [], md.options, {}).trim() : '';
  const where = (needle: string | RegExp) => {
    const at = slide.markdown.split('\n').findIndex((l) => (typeof needle === 'string' ? l.includes(needle) : needle.test(l)));
    return `${file}: slide ${slide.number}${title ? ` « ${title} »` : ''}${at >= 0 ? `, line ${slide.line + at}` : ''}`;
  };

  const env: SlideEnv = {
    figure(key) {
      const value = assets.figures.text.get(key);
      if (value === undefined) {
        throw new PlaceholderError(`unknown placeholder {{ ${key} }}; known keys near it: ${nearestKeys(assets.figures, key).join(', ')}`, placeholderAt(key));
      }
      return `<span class="figure" data-figure="${esc(key)}">${esc(value)}</span>`;
    },
    image(token, alt) {
      const src = attr(token, 'src') ?? '';
      const caption = attr(token, 'title');
      const standalone = token.meta?.standalone === true;
      const figcaption = caption ? `<figcaption>${esc(caption)}</figcaption>` : '';
      if (isChart(src)) {
        const kpi = src.slice('report:'.length);
        const chart = assets.figures.charts.get(kpi);
        if (!chart) throw new PlaceholderError(`unknown chart ${src}; the report's charts: ${[...assets.figures.charts.keys()].map((k) => `report:${k}`).join(', ')}`, src);
        if (!standalone) throw new PlaceholderError(`the chart ${src} must stand in a paragraph of its own`, src);
        return `<figure class="chart" data-kpi="${esc(kpi)}" aria-label="${esc(alt || chart.title)}">${chart.svg}${figcaption}</figure>`;
      }
      const uri = assets.images.get(src);
      if (uri === undefined) throw new PlaceholderError(`the image ${src} was not read`, src);
      const img = `<img src="${uri}" alt="${esc(alt)}" data-src="${esc(src)}">`;
      return standalone ? `<figure class="shot">${img}${figcaption}</figure>` : img;
    },
  };

  let html: string;
  try {
    tokens = expandRanges(tokens, assets.figures);
    const blocks = topLevelBlocks(tokens);
    const media = (b: Token[]) => b[0]!.meta?.media === true;
    const render = (bs: Token[][]) => md.renderer.render(bs.flat(), md.options, env);
    if (slide.classes.includes('split')) {
      // The heading above both columns; then the text on the left, the images on the right.
      const head = headingAt === 0 ? blocks.slice(0, 1) : [];
      const rest = blocks.slice(head.length);
      html = `${render(head)}<div class="cols"><div class="text">${render(rest.filter((b) => !media(b)))}</div><div class="media">${render(rest.filter(media))}</div></div>`;
    } else {
      html = render(blocks);
    }
  } catch (err) {
    if (err instanceof PlaceholderError) throw new DeckError(`${where(err.needle)}: ${err.message}`);
    throw err;
  }
  return { number: slide.number, title: title || `Diapositive ${slide.number}`, classes: slide.classes, capture: slide.capture, html };
}

function parse(slide: SlideSource, file: string): Token[] {
  let tokens: Token[];
  try {
    tokens = md.parse(slide.markdown, {});
  } catch (err) {
    if (err instanceof PlaceholderError) {
      const needle = err.needle;
      const at = slide.markdown.split('\n').findIndex((l) => (typeof needle === 'string' ? l.includes(needle.slice(0, 12)) : needle.test(l)));
      throw new DeckError(`${file}: slide ${slide.number}${at >= 0 ? `, line ${slide.line + at}` : ''}: ${err.message}`);
    }
    throw err;
  }
  // A paragraph holding only images is their figure (a <figure> cannot sit in a <p>); several make a row.
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [open, inline, close] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (open.type !== 'paragraph_open' || inline.type !== 'inline' || close.type !== 'paragraph_close') continue;
    const children = inline.children ?? [];
    const onlyImages = children.some((c) => c.type === 'image') && children.every((c) => c.type === 'image' || c.type === 'softbreak' || (c.type === 'text' && c.content.trim() === ''));
    if (!onlyImages) continue;
    open.meta = { media: true };
    if (children.filter((c) => c.type === 'image').length > 1) {
      // Several images side by side.
      open.tag = close.tag = 'div';
      open.attrSet('class', 'gallery');
    } else {
      open.hidden = close.hidden = true;
    }
    for (const c of children) if (c.type === 'image') c.meta = { ...(c.meta ?? {}), standalone: true };
  }
  return tokens;
}

/** `prefix.<a>-<b>`: the keys prefix.a … prefix.b; those a smaller catalogue lacks are left out. */
const RANGE = /^(.+)\.(\d+)-(\d+)$/;

/**
 * A list item holding only `{{ recommendations.1-4 }}` becomes one item per key of the range the
 * report has: how many recommendations (or conclusion sentences) there are depends on the catalogue.
 */
function expandRanges(tokens: Token[], figures: ReportFigures): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const ranged = (t.type === 'inline' ? (t.children ?? []) : []).filter((c) => c.type === 'deck_figure' && RANGE.test(String(c.meta?.key)));
    if (ranged.length === 0) {
      out.push(t);
      continue;
    }
    const key = String(ranged[0]!.meta?.key);
    const [open, paraOpen, , paraClose, close] = [out.at(-2), out.at(-1), t, tokens[i + 1], tokens[i + 2]];
    const alone = (t.children ?? []).every((c) => c === ranged[0] || (c.type === 'text' && c.content.trim() === ''));
    if (!alone || open?.type !== 'list_item_open' || paraOpen?.type !== 'paragraph_open' || paraClose?.type !== 'paragraph_close' || close?.type !== 'list_item_close') {
      throw new PlaceholderError(`the range {{ ${key} }} stands alone in a list item ("- {{ ${key} }}"): it becomes one item per key`, placeholderAt(key));
    }
    const [, prefix, from, to] = RANGE.exec(key)!;
    const keys: string[] = [];
    for (let n = Number(from); n <= Number(to); n++) if (figures.text.has(`${prefix}.${n}`)) keys.push(`${prefix}.${n}`);
    if (keys.length === 0) throw new PlaceholderError(`unknown placeholder {{ ${key} }}: the report has no ${prefix}.${from} to ${prefix}.${to}; known keys near it: ${nearestKeys(figures, `${prefix}.${from}`).join(', ')}`, placeholderAt(key));
    out.splice(-2, 2);
    for (const k of keys) {
      const inline = copy(t);
      inline.children = (t.children ?? []).map((c) => (c === ranged[0] ? Object.assign(copy(c), { meta: { key: k } }) : c));
      out.push(open, paraOpen, inline, paraClose, close);
    }
    i += 2;
  }
  return out;
}

const copy = (t: Token): Token => Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t);

function inlineTokens(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => (t.type === 'inline' ? (t.children ?? []) : []));
}

/** The top-level blocks (a paragraph, a list, a table, a heading…), each with its nested tokens. */
function topLevelBlocks(tokens: Token[]): Token[][] {
  const blocks: Token[][] = [];
  let depth = 0;
  for (const t of tokens) {
    if (depth === 0) blocks.push([]);
    blocks.at(-1)!.push(t);
    depth += t.nesting;
  }
  return blocks;
}
