import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export interface PrintRequest {
  htmlFile: string;
  /** Where the PDF goes; null for none. */
  pdfFile: string | null;
  /** Slides to save as 1280 × 720 PNG images, as shown on screen. */
  screenshots: Array<{ slide: number; file: string }>;
}

/** A slide whose content does not fit its 1280 × 720 frame, and by how many pixels. */
export interface Overflow {
  slide: number;
  pixels: number;
}

const SLIDE = { width: 1280, height: 720 };

// Run in the page: the slides as printed (all laid out, unscaled), each content box against its frame.
const MEASURE_OVERFLOW = `Array.from(document.querySelectorAll('.slide')).map(function (slide) {
  var boxes = [slide.querySelector('.slide-inner')].concat(Array.from(slide.querySelectorAll('.table, .cols > *')));
  var pixels = Math.max.apply(null, boxes.map(function (b) { return Math.max(b.scrollHeight - b.clientHeight, b.scrollWidth - b.clientWidth); }));
  return { slide: Number(slide.dataset.slide), pixels: pixels };
}).filter(function (o) { return o.pixels > 1; })`;

/** Chromium, through playwright-core: the deck printed to PDF (one slide a page), screenshots, and a check that every slide fits. */
export class DeckPrinterRepository {
  constructor(private readonly executablePath: string) {}

  async print(request: PrintRequest): Promise<{ overflowing: Overflow[] }> {
    const browser = await chromium.launch({
      executablePath: this.executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: SLIDE, deviceScaleFactor: 1 });
      // Nothing leaves the machine: the deck is one file and must need nothing else.
      await page.route(/^(?!file:|data:|about:)/, (route) => route.abort());
      const url = pathToFileURL(request.htmlFile).href;
      await page.goto(url);
      await page.evaluate('document.fonts.ready.then(function () { return true; })');
      await page.emulateMedia({ media: 'print' });
      const overflowing = (await page.evaluate(MEASURE_OVERFLOW)) as Overflow[];
      if (request.pdfFile) {
        await page.pdf({ path: request.pdfFile, width: `${SLIDE.width}px`, height: `${SLIDE.height}px`, printBackground: true, preferCSSPageSize: true });
      }
      await page.emulateMedia({ media: 'screen' });
      for (const shot of request.screenshots) {
        await page.evaluate(`location.hash = '#${shot.slide}'`);
        await page.waitForFunction(`document.querySelector('.slide.current') && document.querySelector('.slide.current').dataset.slide === '${shot.slide}'`);
        await page.screenshot({ path: shot.file });
      }
      return { overflowing };
    } finally {
      await browser.close();
    }
  }
}
