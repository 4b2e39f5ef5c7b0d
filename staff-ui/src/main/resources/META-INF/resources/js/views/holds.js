// Case managers: every case of case-service with its status and hold; place or lift a safety hold.
import { el, date, dataTable, section, message } from '../dom.js';
import { caseService } from '../api.js';

export function render(view) {
  const status = el('p', { class: 'note', 'aria-live': 'polite' });
  const table = dataTable({ id: 'holds-table', caption: 'Cases and holds', filename: 'cases-holds',
    columns: ['Case', 'Country', 'Status', 'Goal', 'Hold', 'Action'], numeric: [3] });
  view.append(el('h2', { tabindex: '-1', text: 'Holds and cases' }), status, section('Cases', table.node));

  async function act(c, reason) {
    try {
      const path = '/api/v1/cases/' + encodeURIComponent(c.caseId) + '/hold';
      await caseService(path, c.hold ? { method: 'DELETE' } : { method: 'PUT', body: { reason } });
      status.textContent = (c.hold ? 'Hold lifted on ' : 'Hold placed on ') + (c.name || c.caseId) + '.';
      await load();
    } catch (e) { status.textContent = 'Not saved: ' + e.message; }
  }

  function action(c) {
    if (c.hold) {
      return { node: el('button', { type: 'button', class: 'lift', text: 'Lift hold', 'aria-label': 'Lift the hold on ' + (c.name || c.caseId),
        onclick: () => act(c) }), value: '' };
    }
    const input = el('input', { type: 'text', id: 'hold-reason-' + c.caseId, maxLength: 500, required: true });
    const form = el('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) { act(c, input.value.trim()); } } },
      el('label', { htmlFor: input.id, text: 'Reason' }), input,
      el('button', { type: 'submit', text: 'Place hold', 'aria-label': 'Place a safety hold on ' + (c.name || c.caseId) }));
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
      table.fill(cases.map((c, i) => [c.name || c.caseId, c.country, c.status, c.goal,
        c.hold ? { node: el('span', { class: 'badge hold', text: 'on safety hold since ' + date(c.hold.placedAt)
          + (reasons[i] ? ': ' + reasons[i] : '') }), value: reasons[i] } : '', action(c)]));
    } catch (e) { status.replaceChildren(message('Cannot read the cases: ' + e.message, 'error')); }
  }
  load();
  return () => {};
}
