// Delivery teams: plans and handovers (delivery-service). Held cases can be neither planned nor handed over.
import { el, date, dataTable, section, message } from '../dom.js';
import { deliveryService } from '../api.js';
import { caseName, entityName, campaign } from '../model.js';

const field = (label, input) => el('div', { class: 'field' }, el('label', { htmlFor: input.id, text: label }), input);

export function render(view) {
  const status = el('p', { class: 'note', 'aria-live': 'polite' });
  const table = dataTable({ id: 'deliveries-table', caption: 'Deliveries', filename: 'deliveries',
    columns: ['Planned for', 'Case', 'Kind', 'Recipient', 'Place', 'Entity', 'Status', 'Handover', 'Action'] });
  const caseSelect = el('select', { id: 'plan-case', required: true });
  const kind = el('select', { id: 'plan-kind' }, el('option', { value: 'petition', text: 'petition' }),
    el('option', { value: 'solidarity', text: 'solidarity letters' }));
  const recipientKind = el('select', { id: 'plan-recipient-kind' },
    ['target-authority', 'embassy', 'rights-holder', 'family', 'other'].map((k) => el('option', { value: k, text: k })));
  const recipientName = el('input', { id: 'plan-recipient-name', type: 'text', required: true, maxLength: 200 });
  const city = el('input', { id: 'plan-city', type: 'text' });
  const country = el('input', { id: 'plan-country', type: 'text', maxLength: 2, size: 3 });
  const when = el('input', { id: 'plan-when', type: 'date', required: true });
  const form = el('form', { id: 'plan-form', class: 'form', onsubmit: (e) => { e.preventDefault(); plan(); } },
    field('Case', caseSelect), field('Kind', kind), field('Recipient kind', recipientKind), field('Recipient name', recipientName),
    field('City', city), field('Country (ISO code)', country), field('Planned for', when),
    el('button', { type: 'submit', text: 'Plan delivery' }));
  view.append(el('h2', { tabindex: '-1', text: 'Deliveries and handovers' }), status,
    section('Plan a delivery', form), section('Deliveries', table.node));

  async function plan() {
    try {
      await deliveryService('/api/v1/deliveries', { method: 'POST', body: { caseId: caseSelect.value, kind: kind.value,
        recipient: { kind: recipientKind.value, name: recipientName.value },
        place: city.value || country.value ? { city: city.value || null, country: country.value.toUpperCase() || null } : null,
        plannedFor: when.value + 'T10:00:00Z' } });
      status.textContent = 'Delivery planned.';
      form.reset();
      await load();
    } catch (e) { status.textContent = 'Not planned: ' + e.message; }
  }

  async function handover(d, by) {
    try {
      const body = { deliveredAt: new Date().toISOString(), deliveredBy: by };
      for (let attempt = 1; ; attempt++) {
        try {
          await deliveryService('/api/v1/deliveries/' + d.id + '/handover', { method: 'POST', body });
          break;
        } catch (e) {
          // 503: delivery-service is still catching up with the counts or the holds; it says when to retry
          if (e.status !== 503 || attempt >= 5) { throw e; }
          status.textContent = 'Waiting for delivery-service to catch up…';
          await new Promise((r) => setTimeout(r, 1000 * attempt));
        }
      }
      status.textContent = 'Handover recorded; counts frozen.';
      await load();
    } catch (e) { status.textContent = 'Not recorded: ' + e.message; }
  }

  function action(d, heldIds) {
    if (d.status !== 'planned') { return ''; }
    if (heldIds.has(d.caseId)) { return { node: el('span', { class: 'badge hold', text: 'case on hold' }), value: '' }; }
    const by = el('input', { id: 'by-' + d.id, type: 'text', required: true, maxLength: 200 });
    return { node: el('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); handover(d, by.value); } },
      el('label', { htmlFor: by.id, text: 'Delivered by' }), by, el('button', { type: 'submit', text: 'Record handover' })), value: '' };
  }

  async function load() {
    try {
      const [all, deliveries, info] = await Promise.all([deliveryService('/api/v1/cases'),
        deliveryService('/api/v1/deliveries'), campaign()]);
      const heldIds = new Set(all.filter((c) => c.hold).map((c) => c.caseId));
      // plans are for the campaign shown (delivery-service knows every campaign's cases)
      const cases = all.filter((c) => c.campaignId === info.campaign.campaignId);
      const chosen = caseSelect.value;
      caseSelect.replaceChildren(...cases.map((c) => el('option', { value: c.caseId, disabled: !!c.hold,
        text: (c.name || c.caseId) + (c.hold ? ' (on hold)' : '') })));
      if (chosen) { caseSelect.value = chosen; }
      table.fill(deliveries.map((d) => [date(d.plannedFor), caseName(d.caseId), d.kind,
        d.recipient ? d.recipient.kind + ': ' + d.recipient.name : '',
        d.place ? [d.place.city, d.place.country].filter(Boolean).join(', ') : '', d.entityId ? entityName(d.entityId) : 'all',
        d.status, d.handover ? date(d.handover.deliveredAt) + ', ' + d.handover.total + ' actions' : '', action(d, heldIds)]));
    } catch (e) { status.replaceChildren(message('Cannot read the deliveries: ' + e.message, 'error')); }
  }
  load();
  return () => {};
}
