// Coordinators: a service's audit trail (GET {service}/api/v1/audit). Each service keeps the trail of its own writes,
// so the page reads one service at a time: who changed what, when and from where, newest first, filtered; the same
// query as the server's CSV.
import { el, dataTable, section, download, message } from '../dom.js';
import { t, date } from '../i18n.js';
import { caseService, petitionService, deliveryService, tallyService } from '../api.js';

// the services' own names (case-service…) are the same in every language; what each keeps is in the bundles
const SERVICES = {
  case: { name: 'case-service', read: caseService },
  petition: { name: 'petition-service', read: petitionService },
  delivery: { name: 'delivery-service', read: deliveryService },
  tally: { name: 'tally-service', read: tallyService },
};
const LIMIT = 1000; // the service's default; up to 10,000
const field = (label, input) => el('div', { class: 'field' }, el('label', { htmlFor: input.id, text: label }), input);
const utc = (value) => (value ? new Date(value + ':00Z').toISOString() : null); // the inputs are read as UTC
// ids, counts, states and instants, as compact text: holdId=… count=3
const details = (d) => Object.entries(d || {})
  .map(([k, v]) => k + '=' + (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v))).join(' ');

export function render(view) {
  const status = el('p', { id: 'audit-status', class: 'note', 'aria-live': 'polite' });
  const service = el('select', { id: 'audit-service' },
    Object.entries(SERVICES).map(([value, s]) => el('option', { value, text: s.name })));
  const from = el('input', { id: 'audit-from', type: 'datetime-local' });
  const to = el('input', { id: 'audit-to', type: 'datetime-local' });
  const text = (id, max, placeholder) => el('input', { id, type: 'text', maxLength: max, autocomplete: 'off', placeholder });
  const actor = text('audit-actor', 200, t('audit.placeholder.actor'));
  const entity = text('audit-entity', 60, t('audit.placeholder.entity'));
  const action = text('audit-action', 60, t('audit.placeholder.action'));
  const subject = text('audit-subject', 200, t('audit.placeholder.subject'));
  const limit = el('input', { id: 'audit-limit', type: 'number', min: 1, max: 10000, step: 1, value: String(LIMIT) });
  const form = el('form', { id: 'audit-form', class: 'form', onsubmit: (e) => { e.preventDefault(); show(); } },
    field(t('audit.service'), service), field(t('form.fromUtc'), from), field(t('form.beforeUtc'), to),
    field(t('col.actor'), actor), field(t('audit.entity'), entity), field(t('audit.action'), action),
    field(t('audit.subject'), subject), field(t('audit.limit'), limit),
    el('button', { id: 'audit-show', type: 'submit', text: t('audit.show') }));

  const summary = el('p', { id: 'audit-summary', class: 'note', 'aria-live': 'polite' });
  const more = el('p', { id: 'audit-more', class: 'note', 'aria-live': 'polite', hidden: true });
  const table = dataTable({ id: 'audit-table', caption: t('audit.caption'), filename: 'audit-trail-table',
    columns: [t('col.time'), t('col.actor'), t('col.role'), t('col.actorEntity'), t('col.source'), t('col.action'),
      t('col.subject'), t('col.entity'), t('col.details')],
    limit: true });
  const csv = el('button', { id: 'audit-csv', type: 'button', class: 'csv', text: t('audit.csv'), disabled: true,
    'aria-label': t('audit.csvLabel'), onclick: () => exportCsv() });

  view.append(el('h2', { tabindex: '-1', text: t('nav.audit') }),
    el('p', { class: 'note', text: t('audit.help') }),
    status, section(t('audit.filters'), form), section(t('audit.entries'), summary, more, csv, table.node));

  let shown = null; // the query of the entries shown: what the CSV button downloads
  let asked = 0; // only the answer to the latest question fills the table

  function query() {
    const params = new URLSearchParams();
    const add = (name, value) => { if (value) { params.set(name, value); } };
    add('from', utc(from.value));
    add('to', utc(to.value));
    add('actor', actor.value.trim());
    add('entityId', entity.value.trim());
    add('action', action.value.trim());
    add('subjectId', subject.value.trim());
    params.set('limit', limit.value.trim() || String(LIMIT));
    return { service: service.value, path: '/api/v1/audit?' + params, limit: Number(params.get('limit')) };
  }

  async function show() {
    const mine = ++asked;
    status.textContent = '';
    try {
      const q = query();
      const page = await SERVICES[q.service].read(q.path);
      if (mine !== asked) { return; }
      shown = q;
      csv.disabled = false;
      table.fill(page.entries.map((e) => [{ text: date(e.at, true), value: e.at }, e.actor, e.actorRole || '', e.actorEntity || '', e.source || '',
        e.action, e.subjectType + (e.subjectId ? ' ' + e.subjectId : ''), e.entityId || '', details(e.detail)]));
      summary.textContent = page.entries.length
        ? t('audit.summary', { count: page.entries.length, service: SERVICES[q.service].name })
        : t('audit.none', { service: SERVICES[q.service].name });
      more.hidden = !page.more;
      more.textContent = page.more ? t('audit.more', { count: q.limit }) : '';
    } catch (e) {
      if (mine !== asked) { return; }
      shown = null;
      csv.disabled = true;
      table.fill([]);
      more.hidden = true;
      summary.textContent = '';
      status.replaceChildren(message(t('audit.cannotRead', { reason: e.message }), 'error'));
    }
  }

  async function exportCsv() {
    if (!shown) { return; }
    try {
      download('audit-' + SERVICES[shown.service].name + '.csv', await SERVICES[shown.service].read(shown.path, { accept: 'text/csv' }));
    } catch (e) { status.replaceChildren(message(t('audit.cannotDownload', { reason: e.message }), 'error')); }
  }

  show();
  return () => { asked += 1; };
}
