// The world map (issue 16): the campaign's actions by the signer's country and by the country of the entity that
// collected them. Two choropleths (chartjs-chart-geo over Chart.js; the countries from world-atlas; both shipped in
// this jar under vendor/, see vendor/README.md), each with its legend and a table beside it with the same numbers for
// screen readers and CSV. Live: re-read shortly after the counts move on the stream; about the campaign picked.
import { el, dataTable, section, message } from '../dom.js';
import { t, fmt, current } from '../i18n.js';
import { tally } from '../api.js';
import * as live from '../live.js';


const LIBRARY = 'vendor/chartjs-chart-geo/4.3.6/index.umd.min.js';
const WORLD = 'vendor/world-atlas/2.0.2/countries-110m.json';
const ISO = 'data/iso3166-numeric.json';

// Loaded once, when the page is first opened: the rest of the dashboard does not need the map library.
let assets = null;
function loadAssets() {
  if (!assets) {
    const library = window.ChartGeo ? Promise.resolve(window.ChartGeo) : new Promise((resolve, reject) => {
      const script = el('script', { src: LIBRARY });
      script.addEventListener('load', () => resolve(window.ChartGeo));
      script.addEventListener('error', () => reject(new Error(t('world.libraryFailed'))));
      document.head.appendChild(script);
    });
    const json = (url) => fetch(url).then((r) => { if (!r.ok) { throw new Error(url + ': HTTP ' + r.status); } return r.json(); });
    assets = Promise.all([library, json(WORLD), json(ISO)]).then(([geo, world, iso]) => ({
      geo,
      // Natural Earth's shapes, each named by ISO 3166-1 numeric id (three with none: no data there)
      features: geo.topojson.feature(world, world.objects.countries).features,
      alpha2: iso.alpha2ByNumeric,
    }));
    assets.catch(() => { assets = null; }); // a failed load is tried again on the next visit
  }
  return assets;
}

// country names in the language shown, from the browser's own data (the API's English name if it has none)
function countryName(c) {
  try { return new Intl.DisplayNames([current()], { type: 'region' }).of(c.country) || c.name || c.country; } catch (e) { return c.name || c.country; }
}

/** One map with its table: the same numbers, drawn and listed. */
function countryMap(id, title, note) {
  const table = dataTable({ id: id + '-table', caption: title, filename: id,
    columns: [t('col.country'), t('world.code'), t('col.actions')], numeric: [2], limit: true });
  const summary = el('p', { id: id + '-summary', class: 'note', 'aria-live': 'polite', text: t('world.loading') });
  const box = el('div', { class: 'chart map' });
  box.style.height = '22rem';
  const canvas = el('canvas', { id: id + '-map', role: 'img', 'aria-label': t('world.mapLabel', { title }) });
  box.append(canvas);
  let chart = null;

  function draw(a, answer) {
    const counts = new Map(answer.countries.map((c) => [c.country, c.total]));
    const values = a.features.map((f) => ({ feature: f, value: counts.get(a.alpha2[f.id]) || 0 }));
    if (!chart) {
      chart = new a.geo.ChoroplethChart(canvas, {
        data: { labels: a.features.map((f) => f.properties.name),
          datasets: [{ label: title, outline: a.features, data: values }] },
        options: { animation: false, responsive: true, maintainAspectRatio: false, showOutline: true,
          plugins: { legend: { display: false },
            tooltip: { callbacks: { label: (ctx) => ctx.chart.data.labels[ctx.dataIndex] + ': ' + fmt(ctx.raw.value) } } },
          scales: {
            projection: { axis: 'x', projection: 'equalEarth' },
            color: { axis: 'x', interpolate: 'blues', missing: '#f0f0f0',
              legend: { position: 'bottom-left', align: 'right' }, ticks: { callback: (v) => fmt(v) } },
          } },
      });
    } else {
      chart.data.datasets[0].data = values;
      chart.update();
    }
    table.fill(answer.countries.map((c) => [{ text: countryName(c), value: countryName(c) }, c.country, c.total])
      .concat([[{ text: t('world.unknown'), value: t('world.unknown') }, '', answer.unknown]]));
    summary.textContent = t('world.summary', { count: answer.total, unknown: answer.unknown });
  }

  return {
    node: section(title, el('p', { class: 'note', text: note }), el('div', { class: 'grid' }, box, table.node), summary),
    draw,
    destroy: () => { if (chart) { chart.destroy(); } },
  };
}

export function render(view) {
  const signers = countryMap('signer-countries', t('world.signerTitle'), t('world.signerNote'));
  const entities = countryMap('entity-countries', t('world.entityTitle'), t('world.entityNote'));
  const status = el('div');
  view.append(el('h2', { tabindex: '-1', text: t('nav.world') }), el('p', { class: 'note', text: t('world.intro') }), status,
    signers.node, entities.node);

  let gone = false;
  async function refresh() {
    const [a, bySigner, byEntity] = await Promise.all([loadAssets(), tally('/api/v1/totals/countries'),
      tally('/api/v1/totals/entity-countries')]);
    if (gone) { return; }
    signers.draw(a, bySigner);
    entities.draw(a, byEntity);
    status.replaceChildren();
  }
  // The counts by country are not on the stream: re-read them shortly after the totals move.
  let pending = null;
  function later() {
    if (!pending) { pending = setTimeout(() => { pending = null; refresh().catch(() => {}); }, 1500); }
  }
  const unsubscribe = live.subscribe((s, kind) => { if (kind === 'changes') { later(); } });
  refresh().catch((e) => { if (!gone) { status.replaceChildren(message(t('world.failed', { reason: e.message }), 'error')); } });
  return () => {
    gone = true;
    unsubscribe();
    clearTimeout(pending);
    signers.destroy();
    entities.destroy();
  };
}
