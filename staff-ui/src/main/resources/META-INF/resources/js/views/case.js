// One case: its entities, types, days, goal, hold status, milestones and handovers timeline.
import { el, dataTable, section, message, words } from '../dom.js';
import { t, term, fmt, date, day, percent } from '../i18n.js';
import { tally } from '../api.js';
import { chart } from '../charts.js';
import * as live from '../live.js';
import { watch, entityName, campaign } from '../model.js';

export function render(view, caseId) {
  const title = el('h2', { tabindex: '-1', text: caseId });
  const holdBox = el('div', { id: 'case-hold', 'aria-live': 'polite' });
  const totalNode = el('span', { id: 'case-total', class: 'big', text: '…' });
  const headline = el('p', { class: 'headline', 'aria-live': 'polite', 'aria-atomic': 'true' },
    words(t('case.headline'), { total: totalNode }));
  const goal = el('p', { id: 'case-goal' });
  const progress = el('progress', { id: 'case-progress', max: 1, value: 0, 'aria-label': t('case.progress') });
  const entities = dataTable({ id: 'case-entities', caption: t('case.byEntity'), filename: 'case-' + caseId + '-entities',
    columns: [t('col.entity'), t('col.actions')], numeric: [1] });
  const types = dataTable({ id: 'case-types', caption: t('overview.types'), filename: 'case-' + caseId + '-types',
    columns: [t('col.type'), t('col.actions')], numeric: [1] });
  const modes = dataTable({ id: 'case-modes', caption: t('overview.modes'), filename: 'case-' + caseId + '-modes',
    columns: [t('col.mode'), t('col.actions')], numeric: [1] });
  const days = dataTable({ id: 'case-days', caption: t('overview.daysCaption'), filename: 'case-' + caseId + '-days',
    columns: [t('col.day'), t('col.actions')], numeric: [1] });
  const handovers = dataTable({ id: 'case-handovers', caption: t('case.handoversCaption'), filename: 'case-' + caseId + '-handovers',
    columns: [t('col.cutoff'), t('col.kind'), t('col.status'), t('col.frozen')], numeric: [3] });
  const milestones = dataTable({ id: 'case-milestones', caption: t('case.milestonesCaption'), filename: 'case-' + caseId + '-milestones',
    columns: [t('col.reached'), t('col.share'), t('col.actions')], numeric: [2] });
  const typeChart = chart(t('case.typesChart'), 'bar');
  const dayChart = chart(t('case.daysChart'), 'bar');

  view.append(title, holdBox,
    el('div', { class: 'card hero' }, headline, goal, progress,
      el('p', { id: 'case-delivery' })),
    el('div', { class: 'grid' },
      section(t('case.entities'), entities.node),
      section(t('case.types'), typeChart.node, types.node, modes.node)),
    section(t('case.days'), dayChart.node, days.node),
    section(t('case.milestones'), milestones.node),
    section(t('case.handovers'), handovers.node));

  async function refresh() {
    const [d, h, m] = await Promise.all([
      tally('/api/v1/totals/cases/' + encodeURIComponent(caseId)),
      tally('/api/v1/dashboard/cases/' + encodeURIComponent(caseId) + '/handovers'),
      tally('/api/v1/dashboard/milestones')]);
    title.textContent = d.name || caseId;
    totalNode.textContent = fmt(d.total);
    headline.replaceChildren(...words(t('case.headline', { count: d.total }), { total: totalNode }));
    goal.textContent = d.goal ? t('case.goal', { goal: d.goal, share: percent((100 * d.total) / d.goal, 2) }) : t('case.noGoal');
    progress.max = d.goal || 1;
    progress.value = Math.min(d.total, d.goal || 0);
    // delivered: the petition to the authorities; messages: solidarity messages to the person and family (tally
    // counts the two apart since the review of 6 December 2026: a petition handover freezes the messages too)
    document.getElementById('case-delivery').textContent = t('case.delivery', { delivered: d.delivered,
      outstanding: d.outstanding, messages: d.messagesDelivered, planned: d.plannedDeliveries });
    entities.fill(Object.entries(d.byEntity).sort((a, b) => b[1] - a[1])
      .map(([id, n]) => [{ node: el('a', { href: '#/entity/' + encodeURIComponent(id), text: entityName(id) }), value: id }, n]));
    const typeRows = Object.entries(d.byType).sort((a, b) => b[1] - a[1]);
    types.fill(typeRows.map(([type, n]) => [{ text: term('type', type), value: type }, n]));
    modes.fill(Object.entries(d.byMode).map(([mode, n]) => [{ text: term('mode', mode), value: mode }, n]));
    typeChart.set(typeRows.map((r) => term('type', r[0])), [{ label: t('col.actions'), data: typeRows.map((r) => r[1]) }]);
    const dayRows = Object.entries(d.byDay);
    days.fill(dayRows.map(([x, n]) => [{ text: day(x), value: x }, n]));
    dayChart.set(dayRows.map((r) => day(r[0])), [{ label: t('col.actions'), data: dayRows.map((r) => r[1]) }]);
    handovers.fill(h.map((x) => [date(x.cutoff || x.changedAt), term('kind', x.kind), term('status', x.status), x.total]));
    milestones.fill(m.filter((x) => x.caseId === caseId).map((x) => [date(x.reachedAt),
      { text: t('case.share', { percent: x.percent }), value: x.percent }, x.threshold]));
  }

  let pending = null;
  const unsubscribe = live.subscribe((s, kind) => {
    if (kind === 'changes' && !pending) { pending = setTimeout(() => { pending = null; refresh().catch(() => {}); }, 1000); }
  });
  const unwatch = watch((info) => {
    const c = info.cases.find((x) => x.caseId === caseId);
    holdBox.replaceChildren(!c ? message(t('case.notInCampaign'))
      : c.hold ? el('p', { class: 'banner', id: 'case-hold-status' }, words(t('case.heldSince', { since: date(c.hold.placedAt) }),
        { held: el('strong', { text: t('case.held') }) }))
        : el('p', { class: 'note', id: 'case-hold-status', text: (c.targetAuthority
          ? t('case.notHeldTarget', { status: term('caseStatus', c.status), target: c.targetAuthority })
          : t('case.notHeld', { status: term('caseStatus', c.status) })) }));
  });
  campaign().then(refresh).catch((e) => view.append(message(e.message, 'error')));
  return () => { unsubscribe(); unwatch(); clearTimeout(pending); typeChart.destroy(); dayChart.destroy(); };
}
