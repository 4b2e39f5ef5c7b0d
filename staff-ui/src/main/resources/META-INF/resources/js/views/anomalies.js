// Coordinators: what trends (petition-service's GET /api/v1/anomalies). Accepted actions per minute by entity, signer
// email domain and signer country in a recent window, each against its own baseline; what runs far over it is
// flagged, with a link that opens the invalidations page on exactly that value and window. A domain is shown as the
// start of its keyed hash: the platform never keeps a signer's domain in clear, and the invalidation selects the hash.
import { el, date, dataTable, section, message, fmt } from '../dom.js';
import { petitionService } from '../api.js';
import { campaign, entityName } from '../model.js';

const DIMENSIONS = [
  { key: 'entity', title: 'By entity', label: (v) => entityName(v) },
  { key: 'emailDomain', title: 'By signer email domain', label: (v) => 'domain #' + v.slice(0, 12) },
  { key: 'country', title: 'By signer country', label: (v) => v },
];
const REFRESH_MS = 60000;
const field = (label, input) => el('div', { class: 'field' }, el('label', { htmlFor: input.id, text: label }), input);
const number = (id, min, max, step) => el('input', { id, type: 'number', min, max, step: step || 1, inputMode: 'decimal' });

/** The invalidations page, selecting this value over the window scanned. */
export function invalidationLink(dimension, value, report) {
  const s = new URLSearchParams({ from: report.windowFrom, to: report.at });
  s.set(dimension === 'emailDomain' ? 'emailDomainHash' : dimension === 'entity' ? 'entityId' : 'country', value);
  return '#/invalidations/' + encodeURIComponent(s.toString());
}

export function render(view) {
  const status = el('p', { id: 'anomalies-status', class: 'note', 'aria-live': 'polite' });
  const windowMinutes = number('an-window', 1, 1440);
  const baselineHours = number('an-baseline', 1, 336);
  const factor = number('an-factor', 1, 1000, 0.5);
  const minPerMinute = number('an-min', 0.1, 100000, 0.1);
  const form = el('form', { id: 'an-settings', class: 'form', onsubmit: (e) => { e.preventDefault(); scan(); } },
    field('Window (minutes)', windowMinutes), field('Baseline (hours)', baselineHours),
    field('Times the baseline', factor), field('At least, per minute', minPerMinute),
    el('button', { id: 'an-scan', type: 'submit', text: 'Scan' }));
  const tables = DIMENSIONS.map((d) => ({ d, table: dataTable({ id: 'anomalies-' + d.key, caption: d.title,
    filename: 'anomalies-' + d.key, numeric: [1, 2, 3, 4],
    columns: [d.key === 'emailDomain' ? 'Domain (keyed hash)' : d.key === 'entity' ? 'Entity' : 'Country',
      'Actions in window', 'Per minute', 'Baseline per minute', 'Times baseline', 'Trending', 'Action'] }) }));

  view.append(el('h2', { tabindex: '-1', text: 'Anomalies' }), status,
    section('Settings', el('p', { class: 'note', text: 'Accepted signatures and online actions that still count, per '
      + 'minute in the window, against each value\'s own rate in the baseline before it. Empty fields take the '
      + 'service\'s settings. Refreshed every minute.' }), form),
    ...tables.map(({ d, table }) => section(d.title, table.node)));

  async function scan() {
    try {
      const info = await campaign();
      const q = new URLSearchParams({ campaignId: info.campaign.campaignId });
      [['windowMinutes', windowMinutes], ['baselineHours', baselineHours], ['factor', factor],
        ['minPerMinute', minPerMinute]].forEach(([name, input]) => { if (input.value) { q.set(name, input.value); } });
      const report = await petitionService('/api/v1/anomalies?' + q.toString());
      tables.forEach(({ d, table }) => table.fill(report.trends.filter((t) => t.dimension === d.key).map((t) => [
        { text: d.label(t.value), value: t.value }, t.actions, t.perMinute, t.baselinePerMinute, t.ratio,
        t.trending ? { node: el('strong', { class: 'trending', text: 'Trending' }), value: 'yes' } : 'no',
        { node: el('a', { href: invalidationLink(d.key, t.value, report), class: 'preview-invalidation',
          text: 'Preview invalidation', 'aria-label': 'Preview an invalidation of ' + d.label(t.value)
            + ' from ' + date(report.windowFrom) }), value: '' }])));
      status.textContent = (report.trending ? fmt(report.trending) + ' trending' : 'Nothing trends') + ': '
        + date(report.windowFrom) + ' to ' + date(report.at) + ' against ' + date(report.baselineFrom)
        + ' onwards; flagged at ' + fmt(report.minPerMinute) + ' a minute and ' + fmt(report.factor) + ' times the baseline.';
      status.dataset.trending = String(report.trending);
    } catch (e) { status.replaceChildren(message('Cannot scan: ' + e.message, 'error')); }
  }
  scan();
  const timer = setInterval(scan, REFRESH_MS);
  return () => clearInterval(timer);
}
