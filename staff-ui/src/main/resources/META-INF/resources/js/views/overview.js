// Campaign overview: the live total, cases against goals, entity leaderboard, online/offline, types, days, deliveries.
import { el, dataTable, section, words } from '../dom.js';
import { t, term, fmt, percent, day, date } from '../i18n.js';
import { tally } from '../api.js';
import { chart } from '../charts.js';
import * as live from '../live.js';
import { watch, caseName, entityName } from '../model.js';

const caseLink = (id) => ({ node: el('a', { href: '#/case/' + encodeURIComponent(id), text: caseName(id) }), value: id });
const entityLink = (id) => ({ node: el('a', { href: '#/entity/' + encodeURIComponent(id), text: entityName(id) }), value: id });

function thermometer(total, goal) {
  if (!goal) { return { text: t('overview.noGoal'), value: '' }; }
  const pct = Math.min(100, (100 * total) / goal);
  const bar = el('progress', { max: goal, value: Math.min(total, goal), 'aria-label': t('overview.ofGoal', { total, goal }) });
  return { node: el('span', { class: 'thermo' }, bar, el('span', { text: percent(pct, pct < 10 ? 2 : 1) })),
    value: pct.toFixed(2) };
}

export function render(view) {
  const totalNode = el('span', { id: 'global-total', class: 'big', text: '…' });
  const status = el('span', { id: 'live-status', class: 'live-status', text: t('live.connecting') });
  const campaignNode = el('span', { id: 'campaign-name', text: '' });
  const headline = el('p', { class: 'headline', 'aria-live': 'polite', 'aria-atomic': 'true' });
  // "12,345 actions in w4r-demo": the word for actions agrees with the number (Intl.PluralRules)
  function showTotal(n) {
    totalNode.textContent = n == null ? '…' : fmt(n);
    headline.replaceChildren(...words(t('overview.headline', { count: n }), { total: totalNode, campaign: campaignNode }));
  }
  showTotal(null);
  const cases = dataTable({ id: 'cases-table', caption: t('overview.casesCaption'), filename: 'cases',
    columns: [t('col.case'), t('col.actions'), t('col.goal'), t('col.progress'), t('col.delivered'), t('col.outstanding'),
      t('col.hold')], numeric: [1, 2, 4, 5] });
  const entities = dataTable({ id: 'entities-table', caption: t('overview.leaderboard'), filename: 'entities',
    columns: [t('col.entity'), t('col.rank'), t('col.actions')], numeric: [1, 2], limit: true });
  const modes = dataTable({ id: 'modes-table', caption: t('overview.modes'), filename: 'modes',
    columns: [t('col.mode'), t('col.actions')], numeric: [1] });
  const types = dataTable({ id: 'types-table', caption: t('overview.types'), filename: 'types',
    columns: [t('col.type'), t('col.actions')], numeric: [1] });
  const days = dataTable({ id: 'days-table', caption: t('overview.daysCaption'), filename: 'days',
    columns: [t('col.day'), t('col.actions')], numeric: [1], limit: true });
  const delivered = dataTable({ id: 'delivered-table', caption: t('overview.deliveredCaption'), filename: 'delivered',
    columns: [t('col.case'), t('col.delivered'), t('col.outstanding'), t('col.plannedDeliveries')], numeric: [1, 2, 3] });
  const peak = el('p', { id: 'peak-day', class: 'note' });
  // the campaign's milestones as a timeline, newest first: each case reaching a share of its goal
  const timeline = el('ol', { id: 'milestones-timeline', class: 'timeline', 'aria-label': t('overview.milestonesCaption') });
  const modeChart = chart(t('overview.modesChart'), 'doughnut');
  const typeChart = chart(t('overview.types'), 'bar');
  const dayChart = chart(t('overview.daysChart'), 'bar');
  const deliveredChart = chart(t('overview.deliveredCaption'), 'bar',
    { indexAxis: 'y', scales: { x: { stacked: true }, y: { stacked: true } }, plugins: { legend: { display: true } } });

  view.append(
    el('h2', { tabindex: '-1', text: t('overview.title') }),
    el('div', { class: 'card hero' }, headline, status),
    section(t('overview.cases'), cases.node),
    el('div', { class: 'grid' },
      section(t('overview.leaderboard'), entities.node),
      section(t('overview.modes'), modeChart.node, modes.node),
      section(t('overview.types'), typeChart.node, types.node)),
    section(t('overview.days'), dayChart.node, peak, days.node),
    section(t('overview.milestones'), timeline),
    section(t('overview.delivered'), deliveredChart.node, delivered.node));

  let totals = null;
  let info = null;

  function drawCases() {
    if (!totals) { return; }
    const s = live.current();
    const holds = new Map(((info && info.cases) || []).filter((c) => c.hold).map((c) => [c.caseId, c.hold]));
    cases.fill(totals.cases.map((c) => {
      const total = s.at && s.cases[c.caseId] != null ? s.cases[c.caseId] : c.total;
      return [caseLink(c.caseId), total, c.goal, thermometer(total, c.goal), c.delivered, Math.max(0, total - c.delivered),
        holds.has(c.caseId) ? { node: el('span', { class: 'badge hold', text: t('hold.badge') }), value: t('hold.badge') } : ''];
    }).concat([[{ text: t('case.none') }, s.at ? s.withoutCase : totals.withoutCase, null, '', null, null, '']]));
  }

  function drawEntities() {
    const s = live.current();
    const source = s.at ? s.entities : Object.fromEntries(((totals && totals.entities) || []).map((e) => [e.entityId, e.total]));
    const sorted = Object.entries(source).filter(([, n]) => n !== 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    entities.fill(sorted.map(([id, n], i) => [entityLink(id), i + 1, n]));
  }

  function drawDetails(daysData) {
    const modeRows = Object.entries(totals.modes);
    modes.fill(modeRows.map(([mode, n]) => [{ text: term('mode', mode), value: mode }, n]));
    modeChart.set(modeRows.map((r) => term('mode', r[0])), [{ label: t('col.actions'), data: modeRows.map((r) => r[1]) }]);
    const typeRows = Object.entries(totals.types).sort((a, b) => b[1] - a[1]);
    types.fill(typeRows.map(([type, n]) => [{ text: term('type', type), value: type }, n]));
    typeChart.set(typeRows.map((r) => term('type', r[0])), [{ label: t('col.actions'), data: typeRows.map((r) => r[1]) }]);
    const dayRows = daysData.days.map((d) => [d.day, d.total]);
    days.fill(dayRows.map(([d, n]) => [{ text: day(d), value: d }, n]));
    dayChart.set(dayRows.map((r) => day(r[0])), [{ label: t('col.actions'), data: dayRows.map((r) => r[1]) }]);
    const top = dayRows.reduce((best, r) => (best && best[1] >= r[1] ? best : r), null);
    // the day itself in <time datetime>: the same in every language
    peak.replaceChildren(...(top ? words(t('overview.peak', { count: top[1] }), { day: el('time', { dateTime: top[0], text: day(top[0]) }) })
      : [t('overview.noActions')]));
    delivered.fill(totals.cases.map((c) => [caseLink(c.caseId), c.delivered, c.outstanding, c.plannedDeliveries]));
    deliveredChart.set(totals.cases.map((c) => caseName(c.caseId)), [
      { label: t('col.delivered'), data: totals.cases.map((c) => c.delivered), color: '#2e7d32' },
      { label: t('col.outstanding'), data: totals.cases.map((c) => c.outstanding), color: '#b34700' }]);
  }

  let reachedList = [];
  function drawMilestones(reached) {
    reachedList = reached;
    timeline.replaceChildren(...(reached.length ? reached.map((m) => el('li', { 'data-case': m.caseId, 'data-percent': String(m.percent) },
      el('time', { dateTime: m.reachedAt, text: date(m.reachedAt) }), ' ',
      ...words(t('overview.milestoneReached', { percent: m.percent, count: m.threshold }), { case: caseLink(m.caseId).node })))
      : [el('li', { class: 'note', text: t('overview.noMilestones') })]));
  }

  let pending = null;
  async function refresh() {
    const [all, d, m] = await Promise.all([tally('/api/v1/totals'), tally('/api/v1/totals/days'),
      tally('/api/v1/dashboard/milestones')]);
    drawMilestones(m);
    totals = all;
    campaignNode.textContent = all.campaignId;
    if (!live.current().at) { showTotal(all.total); }
    drawCases();
    drawEntities();
    drawDetails(d);
  }
  // Types, modes, days and deliveries are not on the stream: re-read them shortly after the counts move.
  function later() {
    if (!pending) { pending = setTimeout(() => { pending = null; refresh().catch(() => {}); }, 1500); }
  }

  const unsubscribe = live.subscribe((s, kind) => {
    status.textContent = s.connected ? t('live.live') : t('live.reconnecting');
    status.classList.toggle('off', !s.connected);
    if (kind === 'status') { return; }
    showTotal(s.total);
    drawCases();
    drawEntities();
    if (kind === 'changes') { later(); }
  });
  // case names come with the read model: the timeline is drawn again when they do
  const unwatch = watch((i) => { info = i; drawCases(); drawEntities(); drawMilestones(reachedList); });
  refresh().catch((e) => view.append(el('p', { role: 'alert', class: 'note error', text: e.message })));
  return () => {
    unsubscribe();
    unwatch();
    clearTimeout(pending);
    [modeChart, typeChart, dayChart, deliveredChart].forEach((c) => c.destroy());
  };
}
