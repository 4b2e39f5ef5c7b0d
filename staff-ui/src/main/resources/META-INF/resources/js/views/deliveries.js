// Delivery teams: plans and handovers (delivery-service). Held cases can be neither planned nor handed over.
import { el, dataTable, section, message } from '../dom.js';
import { t, term, date } from '../i18n.js';
import { deliveryService } from '../api.js';
import { caseName, entityName, campaign } from '../model.js';

const field = (label, input) => el('div', { class: 'field' }, el('label', { htmlFor: input.id, text: label }), input);

export function render(view) {
  const status = el('p', { class: 'note', 'aria-live': 'polite' });
  const table = dataTable({ id: 'deliveries-table', caption: t('deliveries.caption'), filename: 'deliveries',
    columns: [t('col.plannedFor'), t('col.case'), t('col.kind'), t('col.recipient'), t('col.place'), t('col.entity'),
      t('col.status'), t('col.handover'), t('col.action')] });
  const caseSelect = el('select', { id: 'plan-case', required: true });
  const kind = el('select', { id: 'plan-kind' }, ['petition', 'solidarity'].map((k) => el('option', { value: k, text: term('kind', k) })));
  const recipientKind = el('select', { id: 'plan-recipient-kind' },
    ['target-authority', 'embassy', 'rights-holder', 'family', 'other'].map((k) => el('option', { value: k, text: term('recipient', k) })));
  const recipientName = el('input', { id: 'plan-recipient-name', type: 'text', required: true, maxLength: 200 });
  const city = el('input', { id: 'plan-city', type: 'text' });
  const country = el('input', { id: 'plan-country', type: 'text', maxLength: 2, size: 3 });
  const when = el('input', { id: 'plan-when', type: 'date', required: true });
  const form = el('form', { id: 'plan-form', class: 'form', onsubmit: (e) => { e.preventDefault(); plan(); } },
    field(t('col.case'), caseSelect), field(t('col.kind'), kind), field(t('deliveries.recipientKind'), recipientKind),
    field(t('deliveries.recipientName'), recipientName), field(t('deliveries.city'), city), field(t('form.countryCode'), country),
    field(t('col.plannedFor'), when),
    el('button', { type: 'submit', text: t('deliveries.plan') }));
  view.append(el('h2', { tabindex: '-1', text: t('deliveries.title') }), status,
    section(t('deliveries.planTitle'), form), section(t('deliveries.caption'), table.node));

  async function plan() {
    try {
      await deliveryService('/api/v1/deliveries', { method: 'POST', body: { caseId: caseSelect.value, kind: kind.value,
        recipient: { kind: recipientKind.value, name: recipientName.value },
        place: city.value || country.value ? { city: city.value || null, country: country.value.toUpperCase() || null } : null,
        plannedFor: when.value + 'T10:00:00Z' } });
      status.textContent = t('deliveries.planned');
      form.reset();
      await load();
    } catch (e) { status.textContent = t('deliveries.notPlanned', { reason: e.message }); }
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
          status.textContent = t('deliveries.waiting');
          await new Promise((r) => setTimeout(r, 1000 * attempt));
        }
      }
      status.textContent = t('deliveries.recorded');
      await load();
    } catch (e) { status.textContent = t('deliveries.notRecorded', { reason: e.message }); }
  }

  function action(d, heldIds) {
    if (d.status !== 'planned') { return ''; }
    if (heldIds.has(d.caseId)) { return { node: el('span', { class: 'badge hold', text: t('deliveries.caseHeld') }), value: '' }; }
    const by = el('input', { id: 'by-' + d.id, type: 'text', required: true, maxLength: 200 });
    return { node: el('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); handover(d, by.value); } },
      el('label', { htmlFor: by.id, text: t('deliveries.deliveredBy') }), by,
      el('button', { type: 'submit', text: t('deliveries.record') })), value: '' };
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
        text: c.hold ? t('deliveries.optionHeld', { name: c.name || c.caseId }) : c.name || c.caseId })));
      if (chosen) { caseSelect.value = chosen; }
      table.fill(deliveries.map((d) => [date(d.plannedFor), caseName(d.caseId), term('kind', d.kind),
        d.recipient ? t('deliveries.recipient', { kind: term('recipient', d.recipient.kind), name: d.recipient.name }) : '',
        d.place ? [d.place.city, d.place.country].filter(Boolean).join(t('list.separator')) : '',
        d.entityId ? entityName(d.entityId) : t('deliveries.allEntities'),
        term('status', d.status),
        d.handover ? t('deliveries.handedOver', { at: date(d.handover.deliveredAt), count: d.handover.total }) : '',
        action(d, heldIds)]));
    } catch (e) { status.replaceChildren(message(t('deliveries.cannotRead', { reason: e.message }), 'error')); }
  }
  load();
  return () => {};
}
