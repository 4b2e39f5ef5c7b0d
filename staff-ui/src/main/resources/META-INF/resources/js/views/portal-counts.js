// The entity portal's offline counts (issue 21.3): report what was written at an event (petition-service
// POST /api/v1/offline-counts, the websites' own write path), list the entity's own counts with their corrections
// (GET /api/v1/offline-counts) and correct one: a correction is a new ledger entry (POST …/{id}/corrections), never
// an edit, so the form asks for what to add or take back and why.
import { el, dataTable, section } from '../dom.js';
import { t, term, fmt, day, date } from '../i18n.js';
import { petitionService, keyedWrite, uncertain } from '../api.js';
import { portal, caseLabel } from './portal.js';

// what petition-service takes offline (a solidarity message is written online, and moderated)
const TYPES = ['letter', 'signature', 'postcard', 'drawing', 'email', 'sms', 'tweet', 'audio', 'other'];
const field = (label, input) => el('div', { class: 'field' }, el('label', { htmlFor: input.id, text: label }), input);

// Each form's write with its Idempotency-Key (api.js keyedWrite): a press again after an answer that left the outcome
// unknown is answered with what was stored, never counted a second time.
export const countReport = () => keyedWrite((body, key) => petitionService('/api/v1/offline-counts',
  { method: 'POST', body, idempotencyKey: key }));
export const countCorrection = (offlineCountId) => keyedWrite((body, key) => petitionService('/api/v1/offline-counts/'
  + encodeURIComponent(offlineCountId) + '/corrections', { method: 'POST', body, idempotencyKey: key }));

export function render(view) {
  const status = el('p', { id: 'portal-count-status', class: 'note', 'aria-live': 'polite' });
  const name = el('input', { id: 'count-event', type: 'text', required: true, maxLength: 300 });
  const when = el('input', { id: 'count-date', type: 'date', required: true, value: new Date().toISOString().slice(0, 10),
    max: new Date().toISOString().slice(0, 10) });
  const place = el('input', { id: 'count-place', type: 'text', maxLength: 300 });
  const caseSelect = el('select', { id: 'count-case' }, el('option', { value: '', text: t('portal.noCase') }));
  const type = el('select', { id: 'count-type' }, TYPES.map((k) => el('option', { value: k, text: term('type', k) })));
  const count = el('input', { id: 'count-count', type: 'number', required: true, min: 1, max: 1000000, step: 1 });
  const form = el('form', { id: 'count-form', class: 'form', onsubmit: (e) => { e.preventDefault(); report(); } },
    field(t('portal.counts.event'), name), field(t('portal.counts.date'), when), field(t('portal.counts.place'), place),
    field(t('portal.case'), caseSelect), field(t('portal.counts.type'), type), field(t('portal.counts.count'), count),
    el('button', { id: 'count-submit', type: 'submit', text: t('portal.counts.report') }));
  const table = dataTable({ id: 'portal-counts', caption: t('portal.counts.caption'), filename: 'offline-counts', limit: true,
    columns: [t('portal.counts.event'), t('portal.counts.date'), t('portal.counts.place'), t('portal.case'),
      t('portal.counts.type'), t('portal.counts.count'), t('portal.counts.net'), t('portal.counts.corrections'),
      t('portal.counts.correct')], numeric: [5, 6] });
  view.append(el('h2', { tabindex: '-1', text: t('portal.counts.title') }), status,
    section(t('portal.counts.reportTitle'), el('p', { class: 'note', text: t('portal.counts.help') }), form),
    section(t('portal.counts.caption'), el('p', { class: 'note', text: t('portal.counts.ledger') }), table.node));

  let cases = [];

  // one write at a time from a form: a second press while the first is on its way would report the count twice
  async function once(button, write) {
    if (button.disabled) { return; }
    button.disabled = true;
    try { await write(); } finally { button.disabled = false; }
  }

  async function report() {
    await once(form.querySelector('button'), () => send());
  }

  const reportCount = countReport();
  // one per offline count, kept across the list's reloads: its form is drawn again, and the same correction typed
  // again after an unknown outcome is still the same write
  const corrections = new Map();

  async function send() {
    const body = { type: type.value, count: Number(count.value),
      event: { name: name.value.trim(), date: when.value, place: place.value.trim() || null } };
    if (caseSelect.value) { body.caseId = caseSelect.value; }
    try {
      await reportCount(body);
      status.textContent = t('portal.counts.reported', { count: body.count, type: term('type', body.type), event: body.event.name });
      name.value = '';
      place.value = '';
      count.value = '';
      await load();
    } catch (e) {
      if (!uncertain(e)) { status.textContent = t('portal.counts.notReported', { reason: e.message }); return; }
      // the form stays filled: sent again, it carries the same key, so it cannot count twice
      status.textContent = t('portal.counts.maybeReported', { event: body.event.name });
      await load();
    }
  }

  async function correct(entry, delta, reason) {
    if (!corrections.has(entry.offlineCountId)) { corrections.set(entry.offlineCountId, countCorrection(entry.offlineCountId)); }
    try {
      const r = await corrections.get(entry.offlineCountId)({ delta, reason });
      status.textContent = t('portal.counts.corrected', { event: entry.eventName, net: r.net });
      await load();
    } catch (e) {
      if (!uncertain(e)) { status.textContent = t('portal.counts.notCorrected', { reason: e.message }); return; }
      status.textContent = t('portal.counts.maybeCorrected', { event: entry.eventName });
      await load();
    }
  }

  function correctionForm(entry) {
    const id = entry.offlineCountId;
    const delta = el('input', { id: 'correct-delta-' + id, type: 'number', required: true, step: 1, min: -entry.net,
      max: 1000000, size: 6 });
    const reason = el('input', { id: 'correct-reason-' + id, type: 'text', required: true, maxLength: 1000 });
    const row = el('form', { class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      const n = Number(delta.value);
      if (!n || !reason.value.trim()) { status.textContent = t('portal.counts.correctionNeeds'); return; }
      once(row.querySelector('button'), () => correct(entry, n, reason.value.trim()));
    } },
    el('label', { htmlFor: delta.id, text: t('portal.counts.delta') }), delta,
    el('label', { htmlFor: reason.id, text: t('portal.counts.reason') }), reason,
    el('button', { type: 'submit', text: t('portal.counts.correct'),
      'aria-label': t('portal.counts.correctLabel', { event: entry.eventName }) }));
    return { node: row, value: '' };
  }

  const correctionsOf = (entry) => entry.corrections.map((c) => t('portal.counts.correction',
    { delta: (c.delta > 0 ? '+' : '') + fmt(c.delta), reason: c.reason, at: date(c.recordedAt) })).join('; ');

  async function load() {
    try {
      const p = await portal();
      cases = p.cases;
      const chosen = caseSelect.value;
      caseSelect.replaceChildren(el('option', { value: '', text: t('portal.noCase') }),
        ...cases.filter((c) => c.status === 'active' && !c.held).map((c) => el('option', { value: c.caseId, text: c.name || c.caseId })));
      caseSelect.value = [...caseSelect.options].some((o) => o.value === chosen) ? chosen : '';
      const entries = await petitionService('/api/v1/offline-counts?campaignId=' + encodeURIComponent(p.campaign.campaignId)
        + '&limit=1000');
      table.fill(entries.map((e) => [e.eventName, { text: day(e.eventDate), value: e.eventDate }, e.eventPlace || '',
        { text: e.caseId ? caseLabel(cases, e.caseId) : t('portal.noCase'), value: e.caseId || '' },
        { text: term('type', e.type), value: e.type }, e.count, e.net, { text: correctionsOf(e), value: correctionsOf(e) },
        correctionForm(e)]));
    } catch (e) { status.textContent = t('portal.cannotRead', { reason: e.message }); }
  }
  load();
  return () => {};
}
