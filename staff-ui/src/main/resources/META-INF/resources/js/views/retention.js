// Coordinators: the retention schedule (petition-service, GET /api/v1/retention). When each campaign's signer names,
// countries and consents, and its message authors, are anonymised; a dry run counts what would go, by case; a due
// campaign can be anonymised now, after a dry run and an explicit confirmation; every run is listed.
import { el, dataTable, section, message } from '../dom.js';
import { t, term, date, fmt } from '../i18n.js';
import { petitionService } from '../api.js';

export function render(view) {
  const status = el('p', { id: 'retention-status', class: 'note', 'aria-live': 'polite' });
  const period = el('p', { id: 'retention-period', class: 'note' });
  const schedule = dataTable({ id: 'retention-table', caption: t('retention.caption'), filename: 'retention-schedule',
    columns: [t('retention.campaign'), t('retention.name'), t('retention.closes'), t('retention.lastHandover'), t('retention.due'),
      t('col.status'), t('retention.retiredAt'), t('retention.actions')] });

  const result = el('div', { id: 'retention-result', 'aria-live': 'polite' });
  const runs = dataTable({ id: 'retention-runs', caption: t('retention.runsCaption'), filename: 'retention-runs',
    columns: [t('col.time'), t('retention.campaign'), t('retention.kind'), t('retention.signatures'), t('retention.messages'),
      t('retention.runBy')], numeric: [3, 4], limit: true });

  view.append(el('h2', { tabindex: '-1', text: t('nav.retention') }),
    el('p', { class: 'note', text: t('retention.help') }), period, status,
    section(t('retention.schedule'), schedule.node), section(t('retention.run'), result),
    section(t('retention.runs'), runs.node));

  let gone = false;

  async function load() {
    try {
      const [plan, done] = await Promise.all([petitionService('/api/v1/retention'), petitionService('/api/v1/retention/runs')]);
      if (gone) { return; }
      period.textContent = t('retention.period', { after: plan.after });
      schedule.fill(plan.campaigns.map((c) => [c.campaignId, c.name, { text: date(c.closesAt), value: c.closesAt },
        { text: c.lastHandoverAt ? date(c.lastHandoverAt) : t('retention.noHandover'), value: c.lastHandoverAt || '' },
        { text: date(c.dueAt), value: c.dueAt }, { text: term('retention.state', c.state), value: c.state },
        { text: c.retiredAt ? date(c.retiredAt) : '', value: c.retiredAt || '' },
        { node: el('button', { type: 'button', class: 'dry-run', 'data-campaign': c.campaignId,
          text: t('retention.dryRun'), 'aria-label': t('retention.dryRunLabel', { campaign: c.name }),
          onclick: () => dryRun(c) }), value: '' }]));
      runs.fill(done.map((r) => [{ text: date(r.finishedAt, true), value: r.finishedAt }, r.campaignId,
        r.dryRun ? t('retention.kindDry') : t('retention.kindRun'), r.signatures, r.messages,
        r.runBy === 'schedule' ? t('retention.bySchedule') : r.runBy]));
    } catch (e) {
      if (!gone) { status.replaceChildren(message(t('retention.cannotRead', { reason: e.message }), 'error')); }
    }
  }

  /** What a run would take now, by case (recorded as a dry run); for a due campaign, the way to run it. */
  async function dryRun(c) {
    result.replaceChildren(message(t('retention.counting', { campaign: c.name })));
    try {
      const run = await petitionService('/api/v1/retention/runs', { method: 'POST', body: { campaignId: c.campaignId, dryRun: true } });
      if (gone) { return; }
      const byCase = dataTable({ id: 'retention-dry-run', caption: t('retention.dryRunCaption', { campaign: c.name }),
        filename: 'retention-dry-run-' + c.campaignId, columns: [t('col.case'), t('retention.signatures'), t('retention.messages')],
        numeric: [1, 2], rows: run.byCase.map((k) => [k.caseId, k.signatures, k.messages]) });
      const summary = el('p', { id: 'retention-dry-run-summary',
        text: t('retention.wouldGo', { campaign: c.name, signatures: fmt(run.signatures), messages: fmt(run.messages) }) });
      result.replaceChildren(summary, byCase.node);
      if (c.state === 'due' || c.state === 'retired') {
        result.append(confirmForm(c));
      } else {
        result.append(message(t('retention.notDue', { due: date(c.dueAt) })));
      }
      load();
    } catch (e) {
      result.replaceChildren(message(t('retention.cannotRun', { reason: e.message }), 'error'));
    }
  }

  /** Nothing is anonymised without a tick: the names cannot come back. */
  function confirmForm(c) {
    const sure = el('input', { id: 'retention-sure', type: 'checkbox', required: true });
    const go = el('button', { id: 'retention-go', type: 'submit', text: t('retention.anonymise', { campaign: c.name }) });
    return el('form', { id: 'retention-confirm', class: 'inline', onsubmit: (e) => { e.preventDefault(); anonymise(c, sure); } },
      sure, el('label', { htmlFor: sure.id, text: t('retention.sure') }), go);
  }

  async function anonymise(c, sure) {
    if (!sure.checked) { return; }
    try {
      const run = await petitionService('/api/v1/retention/runs', { method: 'POST', body: { campaignId: c.campaignId, dryRun: false } });
      if (gone) { return; }
      result.replaceChildren(message(t('retention.done', { campaign: c.name, signatures: fmt(run.signatures),
        messages: fmt(run.messages) })));
      load();
    } catch (e) {
      result.replaceChildren(message(t('retention.cannotRun', { reason: e.message }), 'error'));
    }
  }

  load();
  return () => { gone = true; };
}
