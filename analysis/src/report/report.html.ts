import { dec, FILTER_REASONS, int } from './french';
import type { LedgerStep, ReportModel } from './report.model';

/** The report as one self-contained HTML page: inline CSS and SVG, no script, French first. */

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
:root { --ink: #1d2433; --muted: #5a6477; --line: #d9dee7; --accent: #1f5fa8; --soft: #f3f6fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 18px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 900px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 32px; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 8px; }
h2 { font-size: 1.5rem; margin: 48px 0 12px; padding-top: 12px; border-top: 3px solid var(--accent); }
h3 { font-size: 1.2rem; margin: 36px 0 8px; }
p.lead { font-size: 1.1rem; color: var(--muted); }
nav ol { columns: 2; padding-left: 1.2em; }
nav a { color: var(--accent); }
figure { margin: 16px 0; overflow-x: auto; }
figure svg { max-width: 100%; min-width: 540px; height: auto; }
.kpi { margin-bottom: 28px; }
.kpi .what { color: var(--muted); font-size: 0.95rem; }
.conclusion { background: var(--soft); border-left: 5px solid var(--accent); padding: 12px 16px; border-radius: 4px; }
.conclusion p { margin: 6px 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; margin: 12px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.rules { min-width: 13em; }
.scroll { overflow-x: auto; }
td small { color: var(--muted); word-break: break-all; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
ul.reco li { margin: 10px 0; }
footer { color: var(--muted); font-size: 0.85rem; padding: 32px 20px 48px; }
@media (max-width: 600px) { body { font-size: 17px; } nav ol { columns: 1; } h1 { font-size: 1.6rem; } }
`;

function ledgerTable(title: string, steps: LedgerStep[]): string {
  if (steps.length === 0) return `<p>${esc(title)} : aucun import réussi dans le registre.</p>`;
  const rows = steps
    .map((s) => {
      const removed = s.removed.length
        ? s.removed.map((r) => `${esc(r.label)} : ${FILTER_REASONS[r.rule]?.keeps ? '+' : '−'}${int(r.rows)}`).join('<br>')
        : '—';
      return `<tr><td><strong>${esc(s.dataset)}</strong><br><small>${esc(s.sources.join(', '))}</small></td><td class="n">${int(s.read)}</td><td class="rules">${removed}</td><td class="n">${int(s.rejected)}</td><td class="n">${int(s.kept)}</td></tr>`;
    })
    .join('\n');
  return `<h3>${esc(title)}</h3>
<div class="scroll"><table><thead><tr><th>Fichier</th><th class="n">Lignes lues</th><th>Écartées, par règle</th><th class="n">Rejetées (mal formées)</th><th class="n">Gardées</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

export function renderReportHtml(model: ReportModel): string {
  const policy = model.policy ?? {};
  const rulesUsed = new Set([...model.ledger.imdb, ...model.ledger.tmdb].flatMap((s) => s.removed.map((r) => r.rule)));
  const reasons = Object.entries(FILTER_REASONS)
    .filter(([rule]) => rulesUsed.has(rule) || ['title-type', 'adult', 'min-votes', 'runtime'].includes(rule))
    .map(([, r]) => `<tr><th>${esc(r.label)}</th><td>${esc(r.reason)}</td></tr>`)
    .join('\n');
  const nav = model.sections.map((s) => `<li><a href="#${esc(s.kpi)}">${esc(s.title)}</a></li>`).join('');
  const sections = model.sections
    .map(
      (s) => `<section class="kpi" id="${esc(s.kpi)}" data-kpi="${esc(s.kpi)}">
<h3>${esc(s.title)}</h3>
<p class="what">${esc(s.description)}</p>
<figure>${s.svg}</figure>
<div class="conclusion"><strong>Ce qu’on en retient</strong>${s.conclusion.map((p) => `<p>${esc(p)}</p>`).join('')}</div>
</section>`,
    )
    .join('\n');
  const minVotes = (policy as { movieMinVotes?: number }).movieMinVotes;
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ciné Creuse — analyse du catalogue</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Ciné Creuse — analyse du catalogue de films</h1>
<p class="lead">Ce que disent les données IMDb et TMDB du catalogue chargé : ${int(model.catalogue.films)} films et ${int(model.catalogue.series)} séries. Rapport produit le ${esc(model.generatedAt.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }))}.</p>
<nav><strong>Sommaire</strong><ol><li><a href="#nettoyage">Le nettoyage des données</a></li>${nav}<li><a href="#recommandations">Recommandations de programmation</a></li></ol></nav>
</header>
<main>
<h2 id="nettoyage">Le nettoyage des données</h2>
<p>Les fichiers officiels d’IMDb comptent plus de 12 millions de titres. Un cinéma n’a besoin que des longs métrages que le public connaît, et des séries pour comparer les carrières. L’import applique les règles suivantes, chacune pour une raison ; le registre d’import compte les lignes que chaque règle a écartées.</p>
<table><tbody>${reasons}</tbody></table>
<p>Règles de cet import : seuil de votes ${minVotes === undefined ? 'non renseigné' : minVotes === 0 ? 'désactivé (échantillons)' : `${int(minVotes)} votes`}, durée des films ${int((policy as { minRuntime?: number }).minRuntime ?? 40)}–${int((policy as { maxRuntime?: number }).maxRuntime ?? 360)} minutes (inconnue gardée), titres pour adultes ${(policy as { includeAdult?: boolean }).includeAdult ? 'gardés' : 'écartés'}. Un budget ou des recettes TMDB à 0 signifient « inconnu » ; sous 1 000 $, ce sont des valeurs de remplissage, traitées comme inconnues.</p>
${ledgerTable(`Import IMDb${model.ledger.imdbRun ? ` n° ${model.ledger.imdbRun.id}` : ''}`, model.ledger.imdb)}
${ledgerTable(`Import TMDB${model.ledger.tmdbRun ? ` n° ${model.ledger.tmdbRun.id}` : ''}`, model.ledger.tmdb)}
<p>Bilan : ${model.ledger.imdb.find((s) => s.dataset === 'title.basics') ? `${int(model.ledger.imdb.find((s) => s.dataset === 'title.basics')!.read)} lignes de title.basics lues, ${int(model.catalogue.films + model.catalogue.series)} titres gardés (${dec((100 * (model.catalogue.films + model.catalogue.series)) / Math.max(1, model.ledger.imdb.find((s) => s.dataset === 'title.basics')!.read))} %).` : 'aucun fichier title.basics dans le registre.'}</p>

<h2 id="indicateurs">Les indicateurs</h2>
${sections}

<h2 id="recommandations">Recommandations de programmation</h2>
<p>Tirées des indicateurs ci-dessus (décennies et genres à la fois bien notés et beaucoup votés, films les mieux classés) et de l’étude de marché (public âgé, attaché aux films français et aux reprises).</p>
<ul class="reco">${model.recommendations.map((r) => `<li>${esc(r)}</li>`).join('\n')}</ul>
</main>
<footer>
<p>Information courtesy of IMDb (https://www.imdb.com). Used with permission. This product uses the TMDB API but is not endorsed or certified by TMDB. Graphiques produits avec Vega-Lite.</p>
</footer>
</body>
</html>
`;
}
