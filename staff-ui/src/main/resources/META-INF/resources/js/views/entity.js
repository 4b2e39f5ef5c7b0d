// One entity: its cases, types, days, and this campaign against the previous one.
import { el, dataTable, section, message, words } from '../dom.js';
import { t, term, fmt, day } from '../i18n.js';
import { tally, ApiError } from '../api.js';
import { chart } from '../charts.js';
import * as live from '../live.js';
import { campaign, caseName } from '../model.js';

export function render(view, entityId) {
  const title = el('h2', { tabindex: '-1', text: entityId });
  const totalNode = el('span', { id: 'entity-total', class: 'big', text: '…' });
  const headline = el('p', { class: 'headline', 'aria-live': 'polite', 'aria-atomic': 'true' },
    words(t('case.headline'), { total: totalNode }));
  const file = (s) => 'entity-' + entityId + '-' + s;
  const cases = dataTable({ id: 'entity-cases', caption: t('entity.byCase'), filename: file('cases'),
    columns: [t('col.case'), t('col.actions')], numeric: [1] });
  const types = dataTable({ id: 'entity-types', caption: t('overview.types'), filename: file('types'),
    columns: [t('col.type'), t('col.actions')], numeric: [1] });
  const days = dataTable({ id: 'entity-days', caption: t('overview.daysCaption'), filename: file('days'),
    columns: [t('col.day'), t('col.actions')], numeric: [1] });
  const compare = dataTable({ id: 'entity-compare', caption: t('entity.compareCaption'), filename: file('compare'),
    columns: [t('col.measure'), t('col.thisCampaign'), t('col.previousCampaign')], numeric: [1, 2] });
  const compareNote = el('p', { class: 'note' });
  const dayChart = chart(t('entity.daysChart'), 'bar');
  const caseChart = chart(t('entity.casesChart'), 'bar', { indexAxis: 'y' });

  view.append(title, el('div', { class: 'card hero' }, headline),
    el('div', { class: 'grid' }, section(t('entity.cases'), caseChart.node, cases.node), section(t('case.types'), types.node)),
    section(t('case.days'), dayChart.node, days.node),
    section(t('entity.compare'), compareNote, compare.node));

  const detail = (campaignId) => tally('/api/v1/totals/entities/' + encodeURIComponent(entityId)
    + (campaignId ? '?campaign=' + encodeURIComponent(campaignId) : ''));

  async function refresh() {
    const info = await campaign();
    const d = await detail();
    title.textContent = d.name || entityId;
    totalNode.textContent = fmt(d.total);
    headline.replaceChildren(...words(t('case.headline', { count: d.total }), { total: totalNode }));
    const caseRows = Object.entries(d.byCase).sort((a, b) => b[1] - a[1]);
    cases.fill(caseRows.map(([id, n]) => [{ node: el('a', { href: '#/case/' + encodeURIComponent(id), text: caseName(id) }), value: id }, n])
      .concat([[{ text: t('case.none') }, d.withoutCase]]));
    caseChart.set(caseRows.map((r) => caseName(r[0])), [{ label: t('col.actions'), data: caseRows.map((r) => r[1]) }]);
    types.fill(Object.entries(d.byType).sort((a, b) => b[1] - a[1]).map(([type, n]) => [{ text: term('type', type), value: type }, n]));
    const dayRows = Object.entries(d.byDay);
    days.fill(dayRows.map(([x, n]) => [{ text: day(x), value: x }, n]));
    dayChart.set(dayRows.map((r) => day(r[0])), [{ label: t('col.actions'), data: dayRows.map((r) => r[1]) }]);
    const total = { text: t('entity.total'), value: 'total' };
    if (!info.previous) {
      compareNote.textContent = t('entity.nothingToCompare');
      compare.fill([[total, d.total, null]]);
      return;
    }
    let p;
    try { p = await detail(info.previous.campaignId); } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) { throw e; }
      p = { total: 0, byType: {}, byMode: {} };
    }
    compareNote.textContent = t('entity.against', { current: info.campaign.name || info.campaign.campaignId,
      previous: info.previous.name || info.previous.campaignId });
    const keys = (a, b) => [...new Set(Object.keys(a).concat(Object.keys(b)))].sort();
    compare.fill([[total, d.total, p.total]]
      .concat(keys(d.byMode, p.byMode).map((k) => [{ text: term('mode', k), value: k }, d.byMode[k] || 0, p.byMode[k] || 0]))
      .concat(keys(d.byType, p.byType).map((k) => [{ text: t('entity.typeMeasure', { type: term('type', k) }), value: k },
        d.byType[k] || 0, p.byType[k] || 0])));
  }

  let pending = null;
  const unsubscribe = live.subscribe((s, kind) => {
    if (kind === 'changes' && s.entities[entityId] !== undefined && !pending) {
      pending = setTimeout(() => { pending = null; refresh().catch(() => {}); }, 1000);
    }
  });
  refresh().catch((e) => view.append(message(e.message, 'error')));
  return () => { unsubscribe(); clearTimeout(pending); dayChart.destroy(); caseChart.destroy(); };
}
