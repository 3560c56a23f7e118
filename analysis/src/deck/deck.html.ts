import type { RenderedSlide } from './deck-markdown';

/**
 * The deck as one self-contained HTML file: inline CSS, script, SVG charts and images as data
 * URIs, nothing fetched. Slides are 1280 × 720 (16:9), scaled to the window on screen; printed,
 * each is one page of that size (deck-printer.repository.ts makes the PDF from it).
 */

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
:root { --ink: #161616; --muted: #4a4a4a; --paper: #ffffff; --accent: #7a1526; --soft: #f4ede4; --line: #d8cfc4; --scale: 1; }
* { box-sizing: border-box; }
html, body { margin: 0; }
body { background: #1b1b1b; color: var(--ink); font-family: "DejaVu Sans", "Segoe UI", Roboto, system-ui, sans-serif; }
.slide { position: relative; width: 1280px; height: 720px; overflow: hidden; background: var(--paper); margin: 0 auto 24px; }
.slide-inner { position: absolute; inset: 44px 72px 64px; display: flex; flex-direction: column; gap: 18px; font-size: 30px; line-height: 1.35; }
.slide-inner > * { margin: 0; flex: none; }
h1 { font-size: 50px; line-height: 1.12; color: var(--accent); letter-spacing: -0.01em; }
h2 { font-size: 36px; line-height: 1.2; color: var(--accent); }
h3 { font-size: 30px; }
p, li { max-width: 62ch; }
ul, ol { padding-left: 1.2em; display: flex; flex-direction: column; gap: 12px; }
ul ul, ol ul { margin-top: 8px; gap: 6px; font-size: 0.85em; }
li::marker { color: var(--accent); }
strong { color: var(--accent); }
a { color: var(--accent); }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.8em; background: var(--soft); padding: 0.05em 0.25em; border-radius: 4px; }
pre { background: var(--soft); border-left: 6px solid var(--accent); padding: 14px 18px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; font-size: 21px; line-height: 1.4; }
blockquote { margin: auto 0 0 !important; padding: 10px 0 0; border-top: 2px solid var(--line); font-size: 20px; line-height: 1.35; color: var(--muted); }
blockquote p { max-width: none; margin: 0; }
.table { overflow: hidden; }
table { border-collapse: collapse; font-size: 24px; line-height: 1.3; }
th, td { text-align: left; padding: 8px 16px 8px 0; border-bottom: 2px solid var(--line); vertical-align: top; }
th { color: var(--accent); }
.figure { font-variant-numeric: tabular-nums; }
figure { margin: 0; flex: 1 1 0 !important; min-height: 0; display: flex; flex-direction: column; align-items: center; gap: 8px; }
figure > svg, figure > img { flex: 1 1 0; min-height: 0; width: 100%; height: 100%; object-fit: contain; }
figure > img { filter: drop-shadow(0 3px 8px rgba(0, 0, 0, 0.25)); }
figcaption { flex: none; font-size: 20px; color: var(--muted); }
.gallery { flex: 1 1 0 !important; min-height: 0; display: flex; gap: 28px; justify-content: center; }
.gallery > figure { flex: 1 1 0; }
.cols { flex: 1 1 0 !important; min-height: 0; display: grid; grid-template-columns: 1fr 1.15fr; gap: 44px; }
.cols > .text { display: flex; flex-direction: column; gap: 18px; min-height: 0; }
.cols > .text > * { margin: 0; }
.cols > .media { display: flex; flex-direction: column; gap: 16px; min-height: 0; }
.slide-foot { position: absolute; left: 72px; right: 72px; bottom: 20px; display: flex; justify-content: space-between; font-size: 20px; color: var(--muted); }
.slide.title { background: var(--accent); color: #fff; }
.slide.title .slide-inner { justify-content: center; gap: 28px; }
.slide.title h1 { font-size: 92px; color: #fff; }
.slide.title p { font-size: 36px; max-width: 40ch; }
.slide.title strong, .slide.title li::marker { color: #fff; }
.slide.title .slide-foot { color: #f3dfe2; }
.slide.section .slide-inner { justify-content: center; }
.slide.section h1 { font-size: 72px; }
.slide.dense .slide-inner { font-size: 24px; gap: 14px; }
.slide.dense h1 { font-size: 40px; }
.slide.dense pre code { font-size: 19px; }
.slide.dense table { font-size: 21px; }
.slide.appendix::after { content: "Annexe"; position: absolute; top: 14px; right: 24px; font-size: 18px; font-weight: 700; color: var(--accent); border: 2px solid var(--accent); border-radius: 6px; padding: 2px 10px; }
.controls { display: none; }
.js body { overflow: hidden; height: 100vh; }
.js .slide { position: absolute; left: 50%; top: 50%; margin: 0; transform: translate(-50%, -50%) scale(var(--scale)); display: none; }
.js .slide.current { display: block; }
.js .controls { display: flex; position: fixed; right: 14px; bottom: 10px; gap: 8px; align-items: center; font: 16px/1 "DejaVu Sans", system-ui, sans-serif; color: #f2f2f2; background: rgba(0, 0, 0, 0.75); padding: 6px 8px; border-radius: 10px; z-index: 1; opacity: 0; transition: opacity 0.3s; }
/* Out of the way of the slide's own number until the mouse moves, a finger touches or a button has the focus. */
.js .controls.shown, .js .controls:focus-within { opacity: 1; }
.controls button { font: inherit; font-size: 22px; line-height: 1; min-width: 44px; min-height: 44px; color: inherit; background: transparent; border: 2px solid #bbb; border-radius: 8px; cursor: pointer; }
.controls button:focus-visible { outline: 3px solid #ffd34d; outline-offset: 2px; }
.counter { min-width: 5.5em; text-align: center; margin: 0; font-variant-numeric: tabular-nums; }
@page { size: 1280px 720px; margin: 0; }
@media print {
  html, body { background: #fff; overflow: visible; height: auto; }
  .slide, .js .slide { display: block; position: relative; left: auto; top: auto; transform: none; margin: 0; break-after: page; }
  .slide:last-of-type { break-after: auto; }
  .controls, .js .controls { display: none; }
}
`;

/** Keys, hash, counter, swipe and scale; the slides stay readable (stacked) without it. */
const SCRIPT = `
(function () {
  var root = document.documentElement;
  var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
  var counter = document.getElementById('counter');
  var total = slides.length;
  var current = -1;
  root.classList.add('js');
  function fit() {
    root.style.setProperty('--scale', String(Math.min(window.innerWidth / 1280, window.innerHeight / 720)));
  }
  function fromHash() {
    var n = parseInt(location.hash.slice(1), 10);
    return n >= 1 && n <= total ? n - 1 : 0;
  }
  function show(i) {
    i = Math.max(0, Math.min(total - 1, i));
    if (i === current) return;
    if (current >= 0) { slides[current].classList.remove('current'); slides[current].setAttribute('aria-hidden', 'true'); }
    current = i;
    slides[i].classList.add('current');
    slides[i].removeAttribute('aria-hidden');
    counter.textContent = (i + 1) + ' / ' + total;
    if (location.hash !== '#' + (i + 1)) history.replaceState(null, '', '#' + (i + 1));
  }
  slides.forEach(function (s) { s.setAttribute('aria-hidden', 'true'); });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var next = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, ' ': e.shiftKey ? -1 : 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1 }[e.key];
    if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(total - 1);
    else if (next) show(current + next);
    else return;
    e.preventDefault();
  });
  document.getElementById('prev').addEventListener('click', function () { show(current - 1); });
  document.getElementById('next').addEventListener('click', function () { show(current + 1); });
  var controls = document.querySelector('.controls');
  var hideLater = null;
  function reveal() {
    controls.classList.add('shown');
    clearTimeout(hideLater);
    hideLater = setTimeout(function () { controls.classList.remove('shown'); }, 2500);
  }
  document.addEventListener('mousemove', reveal);
  var touch = null;
  document.addEventListener('touchstart', function (e) { reveal(); touch = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY } : null; }, { passive: true });
  document.addEventListener('touchend', function (e) {
    if (!touch) return;
    var dx = e.changedTouches[0].clientX - touch.x, dy = e.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
  });
  window.addEventListener('hashchange', function () { show(fromHash()); });
  window.addEventListener('resize', fit);
  fit();
  show(fromHash());
})();
`;

export function renderDeckHtml(deck: { title: string; slides: RenderedSlide[] }): string {
  const total = deck.slides.length;
  const slides = deck.slides
    .map(
      (s) => `<section class="${['slide', ...s.classes].join(' ')}" id="diapo-${s.number}" data-slide="${s.number}" aria-label="${esc(`${s.number} / ${total} : ${s.title}`)}">
<div class="slide-inner">
${s.html}</div>
<footer class="slide-foot"><span>Ciné Creuse</span><span class="slide-number">${s.number} / ${total}</span></footer>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(deck.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${slides}
</main>
<nav class="controls" aria-label="Diapositives">
<button type="button" id="prev" aria-label="Diapositive précédente">‹</button>
<p id="counter" class="counter" aria-live="polite">1 / ${total}</p>
<button type="button" id="next" aria-label="Diapositive suivante">›</button>
</nav>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
