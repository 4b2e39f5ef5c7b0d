// Coordinators: what trends (petition-service's GET /api/v1/anomalies). Accepted actions per minute by entity, signer
// email domain and signer country in a recent window, each against its own baseline; what runs far over it is
// flagged, with a link that opens the invalidations page on exactly that value and window. A domain is shown as the
// start of its keyed hash: the platform never keeps a signer's domain in clear, and the invalidation selects the hash.
import { el, dataTable, section, message } from '../dom.js';
import { t, date } from '../i18n.js';
import { petitionService } from '../api.js';
import { campaign, entityName } from '../model.js';

const DIMENSIONS = [
  { key: 'entity', label: (v) => entityName(v) },
  { key: 'emailDomain', label: (v) => t('anomalies.domainHash', { hash: v.slice(0, 12) }) },
  { key: 'country', label: (v) => v },
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
    field(t('anomalies.window'), windowMinutes), field(t('anomalies.baseline'), baselineHours),
    field(t('anomalies.factor'), factor), field(t('anomalies.minPerMinute'), minPerMinute),
    el('button', { id: 'an-scan', type: 'submit', text: t('anomalies.scan') }));
  const tables = DIMENSIONS.map((d) => ({ d, table: dataTable({ id: 'anomalies-' + d.key, caption: t('anomalies.by.' + d.key),
    filename: 'anomalies-' + d.key, numeric: [1, 2, 3, 4],
    columns: [t('anomalies.column.' + d.key), t('col.actionsInWindow'), t('col.perMinute'), t('col.baselinePerMinute'),
      t('col.timesBaseline'), t('col.trending'), t('col.action')] }) }));

  view.append(el('h2', { tabindex: '-1', text: t('nav.anomalies') }), status,
    section(t('anomalies.settings'), el('p', { class: 'note', text: t('anomalies.help') }), form),
    ...tables.map(({ d, table }) => section(t('anomalies.by.' + d.key), table.node)));

  async function scan() {
    try {
      const info = await campaign();
      const q = new URLSearchParams({ campaignId: info.campaign.campaignId });
      [['windowMinutes', windowMinutes], ['baselineHours', baselineHours], ['factor', factor],
        ['minPerMinute', minPerMinute]].forEach(([name, input]) => { if (input.value) { q.set(name, input.value); } });
      const report = await petitionService('/api/v1/anomalies?' + q.toString());
      tables.forEach(({ d, table }) => table.fill(report.trends.filter((x) => x.dimension === d.key).map((trend) => [
        { text: d.label(trend.value), value: trend.value }, trend.actions, trend.perMinute, trend.baselinePerMinute, trend.ratio,
        trend.trending ? { node: el('strong', { class: 'trending', text: t('col.trending') }), value: 'yes' }
          : { text: t('anomalies.no'), value: 'no' },
        { node: el('a', { href: invalidationLink(d.key, trend.value, report), class: 'preview-invalidation',
          text: t('anomalies.preview'), 'aria-label': t('anomalies.previewLabel', { value: d.label(trend.value),
            from: date(report.windowFrom) }) }), value: '' }])));
      status.textContent = t(report.trending ? 'anomalies.status' : 'anomalies.statusNothing', { count: report.trending,
        from: date(report.windowFrom), to: date(report.at), baseline: date(report.baselineFrom),
        min: report.minPerMinute, factor: report.factor });
      status.dataset.trending = String(report.trending);
    } catch (e) { status.replaceChildren(message(t('anomalies.cannotScan', { reason: e.message }), 'error')); }
  }
  scan();
  const timer = setInterval(scan, REFRESH_MS);
  return () => clearInterval(timer);
}
