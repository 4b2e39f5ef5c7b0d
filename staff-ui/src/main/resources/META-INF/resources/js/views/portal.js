// The entity portal (issue 21.3): the signed-in entity's own totals by case, type, mode and day, against the previous
// campaign, its rank (a place, never another entity's figures) and its cases. From tally-service's
// GET /api/v1/entity/totals, which answers about the key's own entity only. The live stream is for staff, so the page
// reads its figures again every second: an offline count just reported shows within about a second of the tally
// having it (issue 21's "within a second"), without a reload. One small read per open portal page per second.
import { el, dataTable, section, message, words } from '../dom.js';
import { t, term, fmt, day } from '../i18n.js';
import { tallyService } from '../api.js';
import { chart } from '../charts.js';

const POLL_MS = 1000;

/** The portal's figures; the cases' names come with them (an entity gets no staff read model). */
export const portal = () => tallyService('/api/v1/entity/totals');

export const caseLabel = (cases, id) => {
  const c = cases.find((x) => x.caseId === id);
  return c && c.name ? c.name : id;
};

export function render(view) {
  const title = el('h2', { tabindex: '-1', text: t('portal.title') });
  const totalNode = el('span', { id: 'portal-total', class: 'big', text: '…' });
  const headline = el('p', { class: 'headline', 'aria-live': 'polite', 'aria-atomic': 'true' },
    words(t('portal.headline'), { total: totalNode }));
  const rank = el('p', { id: 'portal-rank', class: 'headline' });
  const campaignNote = el('p', { class: 'note' });
  const compare = dataTable({ id: 'portal-compare', caption: t('portal.compareCaption'), filename: 'portal-compare',
    columns: [t('portal.measure'), t('portal.thisCampaign'), t('portal.previousCampaign')], numeric: [1, 2] });
  const cases = dataTable({ id: 'portal-cases', caption: t('portal.byCaseCaption'), filename: 'portal-cases',
    columns: [t('portal.case'), t('portal.actions')], numeric: [1] });
  const days = dataTable({ id: 'portal-days', caption: t('portal.byDayCaption'), filename: 'portal-days',
    columns: [t('portal.day'), t('portal.actions')], numeric: [1] });
  const localCases = dataTable({ id: 'portal-local-cases', caption: t('portal.localCasesCaption'),
    filename: 'portal-local-cases', columns: [t('portal.case'), t('portal.country'), t('portal.targetAuthority'),
      t('portal.status')] });
  const noLocal = el('p', { class: 'note' });
  const dayChart = chart(t('portal.byDayChart'), 'bar');
  const error = el('div', { 'aria-live': 'polite' });

  view.append(title, error, el('div', { class: 'card hero' }, headline, rank), campaignNote,
    section(t('portal.compare'), compare.node),
    el('div', { class: 'grid' }, section(t('portal.byCase'), cases.node), section(t('portal.localCases'), noLocal, localCases.node)),
    section(t('portal.byDay'), dayChart.node, days.node));

  let last = null;
  async function refresh() {
    const p = await portal();
    error.replaceChildren();
    // unchanged figures are not drawn again: the headline is a live region, read out on every change
    const seen = JSON.stringify(p);
    if (seen === last) { return; }
    last = seen;
    const d = p.totals;
    title.textContent = t('portal.titleOf', { entity: d.name || p.entityId });
    totalNode.textContent = fmt(d.total);
    headline.replaceChildren(...words(t('portal.headline', { count: d.total }), { total: totalNode }));
    rank.textContent = p.rank ? t('portal.rank', { position: p.rank.position, count: p.rank.of }) : t('portal.unranked');
    const prev = p.previous;
    campaignNote.textContent = prev
      ? t('portal.against', { current: p.campaign.name || p.campaign.campaignId, previous: prev.campaign.name || prev.campaign.campaignId })
      : t('portal.nothingToCompare', { current: p.campaign.name || p.campaign.campaignId });
    const before = prev ? prev.totals : { total: null, byType: {}, byMode: {} };
    const keys = (a, b) => [...new Set(Object.keys(a).concat(Object.keys(b)))].sort();
    const previous = (map, k) => (prev ? map[k] || 0 : null);
    compare.fill([[{ text: t('portal.total'), value: 'total' }, d.total, before.total]]
      .concat([[{ text: t('portal.rankMeasure'), value: 'rank' }, p.rank ? p.rank.position : null,
        prev && prev.rank ? prev.rank.position : null]])
      .concat(keys(d.byMode, before.byMode).map((k) => [{ text: t('portal.modeMeasure', { mode: term('mode', k) }), value: k }, d.byMode[k] || 0,
        previous(before.byMode, k)]))
      .concat(keys(d.byType, before.byType).map((k) => [{ text: t('portal.typeMeasure', { type: term('type', k) }), value: k },
        d.byType[k] || 0, previous(before.byType, k)])));
    cases.fill(Object.entries(d.byCase).sort((a, b) => b[1] - a[1])
      .map(([id, n]) => [{ text: caseLabel(p.cases, id), value: id }, n])
      .concat([[{ text: t('portal.noCase'), value: '' }, d.withoutCase]]));
    const dayRows = Object.entries(d.byDay);
    days.fill(dayRows.map(([x, n]) => [{ text: day(x), value: x }, n]));
    dayChart.set(dayRows.map((r) => day(r[0])), [{ label: t('portal.actions'), data: dayRows.map((r) => r[1]) }]);
    const locals = p.cases.filter((c) => c.local);
    noLocal.textContent = locals.length ? '' : t('portal.noLocalCases');
    localCases.fill(locals.map((c) => [{ text: c.name || c.caseId, value: c.caseId }, c.country || '', c.targetAuthority || '',
      { text: c.held ? t('portal.held') : term('caseStatus', c.status), value: c.held ? 'held' : c.status }]));
  }

  let timer = null;
  let stopped = false;
  async function loop() {
    try { await refresh(); } catch (e) { error.replaceChildren(message(t('portal.cannotRead', { reason: e.message }), 'error')); }
    if (!stopped) { timer = setTimeout(loop, POLL_MS); }
  }
  loop();
  return () => { stopped = true; clearTimeout(timer); dayChart.destroy(); };
}
