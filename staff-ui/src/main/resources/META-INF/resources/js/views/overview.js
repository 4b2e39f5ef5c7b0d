// Campaign overview: the live total, cases against goals, entity leaderboard, online/offline, types, days, deliveries.
import { el, fmt, dataTable, section } from '../dom.js';
import { tally } from '../api.js';
import { chart } from '../charts.js';
import * as live from '../live.js';
import { watch, caseName, entityName } from '../model.js';

const caseLink = (id) => ({ node: el('a', { href: '#/case/' + encodeURIComponent(id), text: caseName(id) }), value: id });
const entityLink = (id) => ({ node: el('a', { href: '#/entity/' + encodeURIComponent(id), text: entityName(id) }), value: id });

function thermometer(total, goal) {
  if (!goal) { return { text: 'no goal', value: '' }; }
  const pct = Math.min(100, (100 * total) / goal);
  const bar = el('progress', { max: goal, value: Math.min(total, goal), 'aria-label': fmt(total) + ' of ' + fmt(goal) });
  return { node: el('span', { class: 'thermo' }, bar, el('span', { text: pct.toFixed(pct < 10 ? 2 : 1) + '%' })),
    value: pct.toFixed(2) };
}

export function render(view) {
  const totalNode = el('span', { id: 'global-total', class: 'big', text: '…' });
  const status = el('span', { id: 'live-status', class: 'live-status', text: 'connecting…' });
  const headline = el('p', { class: 'headline', 'aria-live': 'polite', 'aria-atomic': 'true' },
    totalNode, ' actions in ', el('span', { id: 'campaign-name', text: '' }));
  const cases = dataTable({ id: 'cases-table', caption: 'Cases: actions against goals', filename: 'cases',
    columns: ['Case', 'Actions', 'Goal', 'Progress', 'Delivered', 'Outstanding', 'Hold'], numeric: [1, 2, 4, 5] });
  const entities = dataTable({ id: 'entities-table', caption: 'Entity leaderboard', filename: 'entities',
    columns: ['Entity', 'Rank', 'Actions'], numeric: [1, 2], limit: true });
  const modes = dataTable({ id: 'modes-table', caption: 'Online and offline', filename: 'modes', columns: ['Mode', 'Actions'], numeric: [1] });
  const types = dataTable({ id: 'types-table', caption: 'Actions by type', filename: 'types', columns: ['Type', 'Actions'], numeric: [1] });
  const days = dataTable({ id: 'days-table', caption: 'Actions by day (UTC)', filename: 'days', columns: ['Day', 'Actions'], numeric: [1], limit: true });
  const delivered = dataTable({ id: 'delivered-table', caption: 'Delivered and outstanding per case', filename: 'delivered',
    columns: ['Case', 'Delivered', 'Outstanding', 'Planned deliveries'], numeric: [1, 2, 3] });
  const peak = el('p', { id: 'peak-day', class: 'note' });
  const modeChart = chart('Online and offline actions', 'doughnut');
  const typeChart = chart('Actions by type', 'bar');
  const dayChart = chart('Actions by day', 'bar');
  const deliveredChart = chart('Delivered and outstanding per case', 'bar',
    { indexAxis: 'y', scales: { x: { stacked: true }, y: { stacked: true } }, plugins: { legend: { display: true } } });

  view.append(
    el('h2', { tabindex: '-1', text: 'Campaign overview' }),
    el('div', { class: 'card hero' }, headline, status),
    section('Cases against goals', cases.node),
    el('div', { class: 'grid' },
      section('Entity leaderboard', entities.node),
      section('Online and offline', modeChart.node, modes.node),
      section('Actions by type', typeChart.node, types.node)),
    section('Time series by day', dayChart.node, peak, days.node),
    section('Delivered and outstanding', deliveredChart.node, delivered.node));

  let totals = null;
  let info = null;

  function drawCases() {
    if (!totals) { return; }
    const s = live.current();
    const holds = new Map(((info && info.cases) || []).filter((c) => c.hold).map((c) => [c.caseId, c.hold]));
    cases.fill(totals.cases.map((c) => {
      const total = s.at && s.cases[c.caseId] != null ? s.cases[c.caseId] : c.total;
      return [caseLink(c.caseId), total, c.goal, thermometer(total, c.goal), c.delivered, Math.max(0, total - c.delivered),
        holds.has(c.caseId) ? { node: el('span', { class: 'badge hold', text: 'on hold' }), value: 'on hold' } : ''];
    }).concat([[{ text: '(no case)' }, s.at ? s.withoutCase : totals.withoutCase, null, '', null, null, '']]));
  }

  function drawEntities() {
    const s = live.current();
    const source = s.at ? s.entities : Object.fromEntries(((totals && totals.entities) || []).map((e) => [e.entityId, e.total]));
    const sorted = Object.entries(source).filter(([, n]) => n !== 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    entities.fill(sorted.map(([id, n], i) => [entityLink(id), i + 1, n]));
  }

  function drawDetails(daysData) {
    const modeRows = Object.entries(totals.modes);
    modes.fill(modeRows);
    modeChart.set(modeRows.map((r) => r[0]), [{ label: 'Actions', data: modeRows.map((r) => r[1]) }]);
    const typeRows = Object.entries(totals.types).sort((a, b) => b[1] - a[1]);
    types.fill(typeRows);
    typeChart.set(typeRows.map((r) => r[0]), [{ label: 'Actions', data: typeRows.map((r) => r[1]) }]);
    const dayRows = daysData.days.map((d) => [d.day, d.total]);
    days.fill(dayRows);
    dayChart.set(dayRows.map((r) => r[0]), [{ label: 'Actions', data: dayRows.map((r) => r[1]) }]);
    const top = dayRows.reduce((best, r) => (best && best[1] >= r[1] ? best : r), null);
    peak.textContent = top ? 'Peak day: ' + top[0] + ' with ' + fmt(top[1]) + ' actions.' : 'No actions yet.';
    delivered.fill(totals.cases.map((c) => [caseLink(c.caseId), c.delivered, c.outstanding, c.plannedDeliveries]));
    deliveredChart.set(totals.cases.map((c) => caseName(c.caseId)), [
      { label: 'Delivered', data: totals.cases.map((c) => c.delivered), color: '#2e7d32' },
      { label: 'Outstanding', data: totals.cases.map((c) => c.outstanding), color: '#b34700' }]);
  }

  let pending = null;
  async function refresh() {
    const [t, d] = await Promise.all([tally('/api/v1/totals'), tally('/api/v1/totals/days')]);
    totals = t;
    document.getElementById('campaign-name').textContent = t.campaignId;
    if (!live.current().at) { totalNode.textContent = fmt(t.total); }
    drawCases();
    drawEntities();
    drawDetails(d);
  }
  // Types, modes, days and deliveries are not on the stream: re-read them shortly after the counts move.
  function later() {
    if (!pending) { pending = setTimeout(() => { pending = null; refresh().catch(() => {}); }, 1500); }
  }

  const unsubscribe = live.subscribe((s, kind) => {
    status.textContent = s.connected ? 'live' : 'reconnecting…';
    status.classList.toggle('off', !s.connected);
    if (kind === 'status') { return; }
    totalNode.textContent = fmt(s.total);
    drawCases();
    drawEntities();
    if (kind === 'changes') { later(); }
  });
  const unwatch = watch((i) => { info = i; drawCases(); drawEntities(); });
  refresh().catch((e) => view.append(el('p', { role: 'alert', class: 'note error', text: e.message })));
  return () => {
    unsubscribe();
    unwatch();
    clearTimeout(pending);
    [modeChart, typeChart, dayChart, deliveredChart].forEach((c) => c.destroy());
  };
}
