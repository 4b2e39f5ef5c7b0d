// Case managers: every case of case-service with its status and hold; place or lift a safety hold.
import { el, dataTable, section, message } from '../dom.js';
import { t, term, date } from '../i18n.js';
import { caseService, propagating, uncertain } from '../api.js';
import { confirmStep, oneAtATime } from '../admin.js';

/**
 * Places a hold on case {@code c} (with {@code reason}) or lifts the one it shows, and resolves to what to say.
 * case-service answers once the change is on Kafka, where every service reads it (200), or after its wait with 202 and
 * W4R-Propagated: false: stored, and still on its way to the other services, which until then do not enforce it (a
 * handover or a signer export of the case may still go through). Said as such, never as "Hold placed".
 */
export async function changeHold(c, reason) {
  const path = '/api/v1/cases/' + encodeURIComponent(c.caseId) + '/hold';
  // a lift names the hold this page showed: one placed since (a new threat) is refused, never lifted unseen
  const answer = await caseService(c.hold ? path + '?holdId=' + encodeURIComponent(c.hold.holdId) : path,
    c.hold ? { method: 'DELETE', full: true } : { method: 'PUT', body: { reason }, full: true });
  const key = c.hold ? (propagating(answer) ? 'holds.liftedPropagating' : 'holds.lifted')
    : (propagating(answer) ? 'holds.placedPropagating' : 'holds.placed');
  return t(key, { name: c.name || c.caseId });
}

export function render(view) {
  const status = el('p', { class: 'note', 'aria-live': 'polite' });
  const table = dataTable({ id: 'holds-table', caption: t('holds.caption'), filename: 'cases-holds',
    columns: [t('col.case'), t('col.country'), t('col.status'), t('col.goal'), t('col.hold'), t('col.action')], numeric: [3] });
  view.append(el('h2', { tabindex: '-1', text: t('nav.holds') }), status, section(t('holds.cases'), table.node));

  async function act(c, reason) {
    try {
      status.textContent = await changeHold(c, reason);
      await load();
    } catch (e) {
      // the case as it is now: a refused lift shows the hold that is open, an unknown outcome what was stored
      await load();
      status.textContent = uncertain(e) ? t('holds.maybeChanged', { name: c.name || c.caseId })
        : t('error.notSaved', { reason: e.message });
    }
  }

  function action(c) {
    if (c.hold) {
      return { node: el('button', { type: 'button', class: 'lift', text: t('holds.lift'),
        'aria-label': t('holds.liftLabel', { name: c.name || c.caseId }),
        onclick: async () => {
          // lifting opens every door the hold closed: asked first, like every destructive step of the admin pages
          if (await confirmStep(t('admin.holds.confirmLift', { name: c.name || c.caseId }), t('holds.lift'))) { act(c); }
        } }), value: '' };
    }
    const input = el('input', { type: 'text', id: 'hold-reason-' + c.caseId, maxLength: 500, required: true });
    const place = el('button', { type: 'submit', text: t('holds.place'), 'aria-label': t('holds.placeLabel', { name: c.name || c.caseId }) });
    // a second press on its way was refused (409 already-on-hold) and said "not saved" over the hold just placed
    const placeOnce = oneAtATime((reason) => act(c, reason), [place]);
    const form = el('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) { placeOnce(input.value.trim()); } } },
      el('label', { htmlFor: input.id, text: t('form.reason') }), input, place);
    return { node: form, value: '' };
  }

  // The reason is for staff only: it never travels on topics, so it is read from case-service's case, one per hold.
  async function reasonOf(c) {
    try { return ((await caseService('/api/v1/cases/' + encodeURIComponent(c.caseId))).hold || {}).reason || ''; }
    catch (e) { return ''; }
  }

  async function load() {
    try {
      const cases = await caseService('/api/v1/cases');
      const reasons = await Promise.all(cases.map((c) => (c.hold ? reasonOf(c) : '')));
      table.fill(cases.map((c, i) => [c.name || c.caseId, c.country, { text: term('caseStatus', c.status), value: c.status }, c.goal,
        c.hold ? { node: el('span', { class: 'badge hold', text: reasons[i]
          ? t('holds.heldSinceBecause', { since: date(c.hold.placedAt), reason: reasons[i] })
          : t('holds.heldSince', { since: date(c.hold.placedAt) }) }), value: reasons[i] } : '', action(c)]));
    } catch (e) { status.replaceChildren(message(t('error.cannotReadCases', { reason: e.message }), 'error')); }
  }
  load();
  return () => {};
}
