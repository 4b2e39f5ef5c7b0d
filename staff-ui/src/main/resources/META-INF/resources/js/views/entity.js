// One entity: its cases, types, days, and this campaign against the previous one.
import { el, fmt, dataTable, section, message } from '../dom.js';
import { tally, ApiError } from '../api.js';
import { chart } from '../charts.js';
import * as live from '../live.js';
import { campaign, caseName } from '../model.js';

export function render(view, entityId) {
  const title = el('h2', { tabindex: '-1', text: entityId });
  const headline = el('p', { class: 'headline', 'aria-live': 'polite', 'aria-atomic': 'true' },
    el('span', { id: 'entity-total', class: 'big', text: '…' }), ' actions');
  const file = (s) => 'entity-' + entityId + '-' + s;
  const cases = dataTable({ id: 'entity-cases', caption: 'Actions by case', filename: file('cases'), columns: ['Case', 'Actions'], numeric: [1] });
  const types = dataTable({ id: 'entity-types', caption: 'Actions by type', filename: file('types'), columns: ['Type', 'Actions'], numeric: [1] });
  const days = dataTable({ id: 'entity-days', caption: 'Actions by day (UTC)', filename: file('days'), columns: ['Day', 'Actions'], numeric: [1] });
  const compare = dataTable({ id: 'entity-compare', caption: 'This campaign and the previous one', filename: file('compare'),
    columns: ['Measure', 'This campaign', 'Previous campaign'], numeric: [1, 2] });
  const compareNote = el('p', { class: 'note' });
  const dayChart = chart('Actions by day for this entity', 'bar');
  const caseChart = chart('Actions by case for this entity', 'bar', { indexAxis: 'y' });

  view.append(title, el('div', { class: 'card hero' }, headline),
    el('div', { class: 'grid' }, section('Cases', caseChart.node, cases.node), section('Types', types.node)),
    section('Days', dayChart.node, days.node),
    section('This campaign against the previous one', compareNote, compare.node));

  const detail = (campaignId) => tally('/api/v1/totals/entities/' + encodeURIComponent(entityId)
    + (campaignId ? '?campaign=' + encodeURIComponent(campaignId) : ''));

  async function refresh() {
    const info = await campaign();
    const d = await detail();
    title.textContent = d.name || entityId;
    document.getElementById('entity-total').textContent = fmt(d.total);
    const caseRows = Object.entries(d.byCase).sort((a, b) => b[1] - a[1]);
    cases.fill(caseRows.map(([id, n]) => [{ node: el('a', { href: '#/case/' + encodeURIComponent(id), text: caseName(id) }), value: id }, n])
      .concat([[{ text: '(no case)' }, d.withoutCase]]));
    caseChart.set(caseRows.map((r) => caseName(r[0])), [{ label: 'Actions', data: caseRows.map((r) => r[1]) }]);
    types.fill(Object.entries(d.byType).sort((a, b) => b[1] - a[1]));
    const dayRows = Object.entries(d.byDay);
    days.fill(dayRows);
    dayChart.set(dayRows.map((r) => r[0]), [{ label: 'Actions', data: dayRows.map((r) => r[1]) }]);
    if (!info.previous) {
      compareNote.textContent = 'No earlier campaign is recorded, so there is nothing to compare with yet.';
      compare.fill([['total', d.total, null]]);
      return;
    }
    let p;
    try { p = await detail(info.previous.campaignId); } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) { throw e; }
      p = { total: 0, byType: {}, byMode: {} };
    }
    compareNote.textContent = (info.campaign.name || info.campaign.campaignId) + ' against '
      + (info.previous.name || info.previous.campaignId) + '.';
    const keys = (a, b) => [...new Set(Object.keys(a).concat(Object.keys(b)))].sort();
    compare.fill([['total', d.total, p.total]]
      .concat(keys(d.byMode, p.byMode).map((k) => [k, d.byMode[k] || 0, p.byMode[k] || 0]))
      .concat(keys(d.byType, p.byType).map((k) => ['type: ' + k, d.byType[k] || 0, p.byType[k] || 0])));
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
