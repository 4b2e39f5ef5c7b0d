// Case managers: the history of safety holds of a campaign's cases (case-service GET /api/v1/cases/{id}/holds):
// who placed each and why, who lifted it and when. Reasons are for staff only and are written as text.
import { el, dataTable, section } from '../dom.js';
import { t, date } from '../i18n.js';
import { caseService } from '../api.js';
import { explain, statusLine } from '../admin.js';

export function render(view) {
  const status = statusLine('hold-history-status');
  const campaignPick = el('select', { id: 'hold-history-campaign' });
  const table = dataTable({ id: 'hold-history-table', caption: t('admin.holds.caption'), filename: 'hold-history',
    columns: [t('col.case'), t('admin.holds.placedAt'), t('admin.holds.placedBy'), t('form.reason'), t('admin.holds.liftedAt'),
      t('admin.holds.liftedBy')] });
  view.append(el('h2', { tabindex: '-1', text: t('nav.hold-history') }), status.node,
    el('p', { class: 'campaign-pick' }, el('label', { htmlFor: campaignPick.id, text: t('admin.cases.campaign') }), ' ', campaignPick),
    section(t('admin.holds.caption'), el('p', { class: 'note', text: t('admin.holds.help') }), table.node));

  async function load() {
    try {
      const cases = (await caseService('/api/v1/cases')).filter((c) => c.campaignId === campaignPick.value);
      const histories = await Promise.all(cases.map((c) => caseService('/api/v1/cases/' + encodeURIComponent(c.caseId) + '/holds')
        .then((holds) => holds.map((h) => ({ c, h })))));
      const rows = histories.flat().sort((a, b) => b.h.placedAt.localeCompare(a.h.placedAt));
      table.fill(rows.map(({ c, h }) => [c.name, { text: date(h.placedAt), value: h.placedAt }, h.placedBy, h.reason,
        h.liftedAt ? { text: date(h.liftedAt), value: h.liftedAt } : { text: t('admin.holds.stillOn'), value: '' }, h.liftedBy || '']));
      if (!rows.length) { status.done(t('admin.holds.none')); } else { status.clear(); }
    } catch (e) { status.failed(t('admin.cannotRead', { reason: explain(e) })); }
  }
  campaignPick.addEventListener('change', load);
  caseService('/api/v1/campaigns').then((campaigns) => {
    campaignPick.replaceChildren(...campaigns.map((c) => el('option', { value: c.campaignId,
      text: c.current ? t('header.campaignCurrent', { name: c.name }) : c.name })));
    const currentOne = campaigns.find((c) => c.current);
    if (currentOne) { campaignPick.value = currentOne.campaignId; }
    load();
  }).catch((e) => status.failed(t('admin.cannotRead', { reason: explain(e) })));
  return () => {};
}
