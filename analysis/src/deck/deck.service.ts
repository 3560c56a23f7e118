import { dirname, join, resolve } from 'node:path';
import type { ReportModel } from '../report/report.model';
import type { DeckCatalogueRepository } from './deck-catalogue.repository';
import { reportFigures } from './deck-figures';
import type { DeckFilesRepository } from './deck-files.repository';
import { imageDataUri, isRemote } from './deck-images';
import { imageSources, type RenderedSlide, renderSlide } from './deck-markdown';
import type { DeckPrinterRepository, Overflow } from './deck-printer.repository';
import { DeckError, type DeckSource, parseDeckSource } from './deck-source';
import { renderDeckHtml } from './deck.html';
import type { SampleImportRepository, SampleSources } from './sample-import.repository';

export interface DeckRequest {
  /** The Markdown source, and its name in messages (as the user would type it). */
  sourceFile: string;
  sourceName: string;
  outDir: string;
  pdf: boolean;
  /** Where the slides marked `capture:` are saved as deck-<name>.png; null for none. */
  screenshotsDir: string | null;
  now?: Date;
}

export interface DeckWritten {
  html: string;
  pdf: string | null;
  screenshots: string[];
  slides: number;
  overflowing: Overflow[];
}

export interface DeckRepositories {
  catalogue: DeckCatalogueRepository;
  files: DeckFilesRepository;
  printer: DeckPrinterRepository;
  /** Null when the catalogue is a server's (DATABASE_URL): the deck imports samples only into its own embedded database. */
  samples: { repository: SampleImportRepository; sources: SampleSources } | null;
}

/** `npm run deck`: the catalogue's report, the Markdown source, and out come the HTML deck, its PDF and screenshots. */
export class DeckService {
  constructor(
    private readonly repos: DeckRepositories,
    /** A line for the person running it (stderr). */
    private readonly notice: (line: string) => void,
  ) {}

  async build(request: DeckRequest): Promise<DeckWritten> {
    await this.ensureCatalogue();
    const { model, refreshed } = await this.repos.catalogue.report(request.now ?? new Date());
    if (refreshed) this.notice('the KPI views had never been computed on this catalogue: computed them first');

    let text: string;
    try {
      text = await this.repos.files.readText(request.sourceFile);
    } catch (err) {
      throw new DeckError(`${request.sourceName}: cannot read the deck's source (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const source = parseDeckSource(request.sourceName, text);
    const images = await this.readImages(source, dirname(request.sourceFile));
    const { html, slides } = renderDeck(source, model, images);

    const htmlFile = join(request.outDir, 'index.html');
    await this.repos.files.write(htmlFile, html);
    const pdfFile = request.pdf ? join(request.outDir, 'presentation.pdf') : null;
    const captured = slides.filter((s) => s.capture !== null);
    if (request.screenshotsDir && captured.length === 0) this.notice(`no slide is marked "capture: <name>" in ${request.sourceName}: no screenshot taken`);
    const screenshots = request.screenshotsDir ? captured.map((s) => ({ slide: s.number, file: join(request.screenshotsDir!, `deck-${s.capture}.png`) })) : [];
    let overflowing: Overflow[] = [];
    if (pdfFile || screenshots.length) {
      if (screenshots.length) await this.repos.files.ensureDirectory(request.screenshotsDir!);
      ({ overflowing } = await this.repos.printer.print({ htmlFile, pdfFile, screenshots }));
      for (const o of overflowing) {
        const slide = slides[o.slide - 1];
        this.notice(`slide ${o.slide}${slide ? ` « ${slide.title} »` : ''} does not fit its frame by ${Math.round(o.pixels)} px: shorten it or mark it "class: dense"`);
      }
    }
    return { html: htmlFile, pdf: pdfFile, screenshots: screenshots.map((s) => s.file), slides: slides.length, overflowing };
  }

  /** An empty embedded catalogue gets the samples (as on a fresh clone); a server's is the user's to fill. */
  private async ensureCatalogue(): Promise<void> {
    if (await this.repos.catalogue.hasCatalogue()) return;
    const samples = this.repos.samples;
    if (!samples) throw new DeckError('no catalogue loaded in DATABASE_URL; import one first (npm run etl, see the README)');
    const absent = await samples.repository.missing(samples.sources);
    if (absent.length) throw new DeckError(`the embedded catalogue is empty and the samples are not there (${absent.join(', ')}): set SHARED_DATA_DIR, or import a catalogue with npm run etl`);
    this.notice(`the embedded catalogue is empty: importing the samples first (${samples.repository.commandLine(samples.sources).join(' ')})`);
    await samples.repository.import(samples.sources);
    if (!(await this.repos.catalogue.hasCatalogue())) throw new DeckError('the sample import ended but the catalogue is still empty');
    this.notice('samples imported; now the deck');
  }

  /** Every image the slides show, read once and checked, as data URIs keyed by their `src`. */
  private async readImages(source: DeckSource, dir: string): Promise<Map<string, string>> {
    const images = new Map<string, string>();
    for (const slide of source.slides) {
      for (const src of imageSources(slide, source.file)) {
        if (images.has(src)) continue;
        const at = slide.markdown.split('\n').findIndex((l) => l.includes(src));
        const where = `${source.file}: slide ${slide.number}${at >= 0 ? `, line ${slide.line + at}` : ''}: image ${src}`;
        if (isRemote(src)) throw new DeckError(`${where}: the deck holds its images, so only a file beside the source can be shown (no URL)`);
        let path: string;
        try {
          path = resolve(dir, decodeURIComponent(src));
        } catch {
          throw new DeckError(`${where}: not a file path`);
        }
        const bytes = await this.repos.files.readBytes(path);
        if (!bytes) throw new DeckError(`${where}: no such file (${path})`);
        const image = imageDataUri(path, bytes);
        if ('problem' in image) throw new DeckError(`${where}: ${image.problem}`);
        images.set(src, image.uri);
      }
    }
    return images;
  }
}

/** The slides and the page, from a parsed source, the report's model and the images already read. */
export function renderDeck(source: DeckSource, model: ReportModel, images: ReadonlyMap<string, string>): { html: string; slides: RenderedSlide[] } {
  const figures = reportFigures(model);
  const slides = source.slides.map((slide) => renderSlide(slide, source.file, { figures, images }));
  return { html: renderDeckHtml({ title: source.title, slides }), slides };
}
