// One case: its entities, types, days, goal, hold status, milestones and handovers timeline.
import { el, fmt, date, dataTable, section, message } from '../dom.js';
import { tally } from '../api.js';
import { chart } from '../charts.js';
import * as live from '../live.js';
import { watch, entityName, campaign } from '../model.js';

export function render(view, caseId) {
  const title = el('h2', { tabindex: '-1', text: caseId });
  const holdBox = el('div', { id: 'case-hold', 'aria-live': 'polite' });
  const headline = el('p', { class: 'headline', 'aria-live': 'polite', 'aria-atomic': 'true' },
    el('span', { id: 'case-total', class: 'big', text: '…' }), ' actions');
  const goal = el('p', { id: 'case-goal' });
  const progress = el('progress', { id: 'case-progress', max: 1, value: 0, 'aria-label': 'Progress towards the goal' });
  const entities = dataTable({ id: 'case-entities', caption: 'Actions by entity', filename: 'case-' + caseId + '-entities',
    columns: ['Entity', 'Actions'], numeric: [1] });
  const types = dataTable({ id: 'case-types', caption: 'Actions by type', filename: 'case-' + caseId + '-types',
    columns: ['Type', 'Actions'], numeric: [1] });
  const modes = dataTable({ id: 'case-modes', caption: 'Online and offline', filename: 'case-' + caseId + '-modes',
    columns: ['Mode', 'Actions'], numeric: [1] });
  const days = dataTable({ id: 'case-days', caption: 'Actions by day (UTC)', filename: 'case-' + caseId + '-days',
    columns: ['Day', 'Actions'], numeric: [1] });
  const handovers = dataTable({ id: 'case-handovers', caption: 'Deliveries and handovers', filename: 'case-' + caseId + '-handovers',
    columns: ['Cut-off or last change', 'Kind', 'Status', 'Frozen count'], numeric: [3] });
  const milestones = dataTable({ id: 'case-milestones', caption: 'Milestones reached', filename: 'case-' + caseId + '-milestones',
    columns: ['Reached', 'Share of the goal', 'Actions'], numeric: [2] });
  const typeChart = chart('Actions by type for this case', 'bar');
  const dayChart = chart('Actions by day for this case', 'bar');

  view.append(title, holdBox,
    el('div', { class: 'card hero' }, headline, goal, progress,
      el('p', { id: 'case-delivery' })),
    el('div', { class: 'grid' },
      section('Entities', entities.node),
      section('Types', typeChart.node, types.node, modes.node)),
    section('Days', dayChart.node, days.node),
    section('Milestones', milestones.node),
    section('Handovers timeline', handovers.node));

  async function refresh() {
    const [d, h, m] = await Promise.all([
      tally('/api/v1/totals/cases/' + encodeURIComponent(caseId)),
      tally('/api/v1/dashboard/cases/' + encodeURIComponent(caseId) + '/handovers'),
      tally('/api/v1/dashboard/milestones')]);
    title.textContent = d.name || caseId;
    document.getElementById('case-total').textContent = fmt(d.total);
    goal.textContent = d.goal ? 'Goal: ' + fmt(d.goal) + ' (' + ((100 * d.total) / d.goal).toFixed(2) + '%)' : 'No goal set.';
    progress.max = d.goal || 1;
    progress.value = Math.min(d.total, d.goal || 0);
    document.getElementById('case-delivery').textContent = 'Delivered: ' + fmt(d.delivered) + ' · outstanding: '
      + fmt(d.outstanding) + ' · planned deliveries: ' + fmt(d.plannedDeliveries);
    entities.fill(Object.entries(d.byEntity).sort((a, b) => b[1] - a[1])
      .map(([id, n]) => [{ node: el('a', { href: '#/entity/' + encodeURIComponent(id), text: entityName(id) }), value: id }, n]));
    const typeRows = Object.entries(d.byType).sort((a, b) => b[1] - a[1]);
    types.fill(typeRows);
    modes.fill(Object.entries(d.byMode));
    typeChart.set(typeRows.map((r) => r[0]), [{ label: 'Actions', data: typeRows.map((r) => r[1]) }]);
    const dayRows = Object.entries(d.byDay);
    days.fill(dayRows);
    dayChart.set(dayRows.map((r) => r[0]), [{ label: 'Actions', data: dayRows.map((r) => r[1]) }]);
    handovers.fill(h.map((x) => [date(x.cutoff || x.changedAt), x.kind || '', x.status, x.total]));
    milestones.fill(m.filter((x) => x.caseId === caseId).map((x) => [date(x.reachedAt), x.percent + ' %', x.threshold]));
  }

  let pending = null;
  const unsubscribe = live.subscribe((s, kind) => {
    if (kind === 'changes' && !pending) { pending = setTimeout(() => { pending = null; refresh().catch(() => {}); }, 1000); }
  });
  const unwatch = watch((info) => {
    const c = info.cases.find((x) => x.caseId === caseId);
    holdBox.replaceChildren(!c ? message('This case is not in the current campaign.')
      : c.hold ? el('p', { class: 'banner', id: 'case-hold-status' }, el('strong', { text: 'On safety hold' }),
        ' since ' + date(c.hold.placedAt))
        : el('p', { class: 'note', id: 'case-hold-status', text: 'Not on hold · status ' + c.status
          + (c.targetAuthority ? ' · target: ' + c.targetAuthority : '') }));
  });
  campaign().then(refresh).catch((e) => view.append(message(e.message, 'error')));
  return () => { unsubscribe(); unwatch(); clearTimeout(pending); typeChart.destroy(); dayChart.destroy(); };
}
