// One entity: its cases, types, days, and this campaign against the previous one; for a coordinator, its webhooks,
// each of which they may delete (a receiver a leaked key registered stops at once, without waiting for the entity:
// docs/security.md; the API allowed it, but no page did, and tally's CORS turned a browser's DELETE away: a security
// review, 6 December 2026).
import { el, dataTable, section, message, words } from '../dom.js';
import { t, term, fmt, day, date } from '../i18n.js';
import { tally, tallyService, ApiError } from '../api.js';
import { chart } from '../charts.js';
import * as live from '../live.js';
import { campaign, caseName } from '../model.js';

export function render(view, entityId, role) {
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
  if (role === 'coordinator') {
    webhooks(view, entityId);
  }

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

/** The entity's webhooks as a coordinator sees them (the receiver's host, never its path or secret), with a delete. */
function webhooks(view, entityId) {
  const path = '/api/v1/entities/' + encodeURIComponent(entityId) + '/webhooks';
  const status = el('p', { id: 'entity-webhooks-status', class: 'note', 'aria-live': 'polite' });
  const table = dataTable({ id: 'entity-webhooks', caption: t('entity.webhooks.caption'), filename: 'entity-' + entityId + '-webhooks',
    columns: [t('entity.webhooks.host'), t('portal.webhooks.events'), t('portal.webhooks.created'), t('portal.keys.action')] });
  view.append(section(t('entity.webhooks'), el('p', { class: 'note', text: t('entity.webhooks.help') }), status, table.node));

  async function remove(w, button) {
    if (button.disabled || !window.confirm(t('entity.webhooks.confirmDelete', { host: w.host }))) { return; }
    button.disabled = true; // one DELETE per press: a second one's 404 said "not deleted" of a deleted webhook
    try {
      await tallyService(path + '/' + encodeURIComponent(w.id), { method: 'DELETE' });
      status.textContent = t('entity.webhooks.deleted', { host: w.host });
    } catch (e) {
      // a 404: gone already (the entity, or another coordinator, deleted it), which is what was asked
      status.textContent = e instanceof ApiError && e.status === 404 ? t('entity.webhooks.deleted', { host: w.host })
        : t('entity.webhooks.notDeleted', { host: w.host, reason: e.message });
      button.disabled = false;
    }
    await load().catch((e) => { status.textContent = t('entity.webhooks.cannotRead', { reason: e.message }); });
  }

  async function load() {
    let list;
    try { list = await tallyService(path); } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) { throw e; }
      list = []; // an entity tally does not know has none
    }
    table.fill(list.map((w) => [w.host, w.events.join(', '), { text: date(w.createdAt), value: w.createdAt },
      { node: el('button', { type: 'button', class: 'reject', text: t('entity.webhooks.delete'),
        'aria-label': t('entity.webhooks.deleteLabel', { host: w.host }), onclick: (e) => remove(w, e.currentTarget) }),
      value: '' }]));
    if (!list.length && !status.textContent) { status.textContent = t('entity.webhooks.none'); }
  }

  load().catch((e) => { status.textContent = t('entity.webhooks.cannotRead', { reason: e.message }); });
}
