// Coordinators: a service's audit trail (GET {service}/api/v1/audit). Each service keeps the trail of its own writes,
// so the page reads one service at a time: who changed what, when and from where, newest first, filtered; the same
// query as the server's CSV.
import { el, dataTable, section, download, message, fmt } from '../dom.js';
import { caseService, petitionService, deliveryService, tallyService } from '../api.js';

const SERVICES = {
  case: { label: 'case-service', keeps: 'campaigns, cases, holds, entities, keys and tokens', read: caseService },
  petition: { label: 'petition-service', keeps: 'moderation, erasures, offline count corrections and invalidations',
    read: petitionService },
  delivery: { label: 'delivery-service', keeps: 'deliveries and signature packs', read: deliveryService },
  tally: { label: 'tally-service', keeps: 'webhooks', read: tallyService },
};
const LIMIT = 1000; // the service's default; up to 10,000
const field = (label, input) => el('div', { class: 'field' }, el('label', { htmlFor: input.id, text: label }), input);
const utc = (value) => (value ? new Date(value + ':00Z').toISOString() : null); // the inputs are read as UTC
const instant = (iso) => (iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '');
// ids, counts, states and instants, as compact text: holdId=… count=3
const details = (d) => Object.entries(d || {})
  .map(([k, v]) => k + '=' + (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v))).join(' ');

export function render(view) {
  const status = el('p', { id: 'audit-status', class: 'note', 'aria-live': 'polite' });
  const service = el('select', { id: 'audit-service' },
    Object.entries(SERVICES).map(([value, s]) => el('option', { value, text: s.label })));
  const from = el('input', { id: 'audit-from', type: 'datetime-local' });
  const to = el('input', { id: 'audit-to', type: 'datetime-local' });
  const text = (id, max, placeholder) => el('input', { id, type: 'text', maxLength: max, autocomplete: 'off', placeholder });
  const actor = text('audit-actor', 200, 'demo-case-manager');
  const entity = text('audit-entity', 60, 'ai-france');
  const action = text('audit-action', 60, 'case.hold.placed or case.');
  const subject = text('audit-subject', 200, 'a case, delivery or key id');
  const limit = el('input', { id: 'audit-limit', type: 'number', min: 1, max: 10000, step: 1, value: String(LIMIT) });
  const form = el('form', { id: 'audit-form', class: 'form', onsubmit: (e) => { e.preventDefault(); show(); } },
    field('Service', service), field('From (UTC)', from), field('Before (UTC)', to), field('Actor', actor),
    field('Entity (of the actor or the write)', entity), field('Action or prefix', action), field('Subject id', subject),
    field('At most (entries)', limit),
    el('button', { id: 'audit-show', type: 'submit', text: 'Show' }));

  const summary = el('p', { id: 'audit-summary', class: 'note', 'aria-live': 'polite' });
  const more = el('p', { id: 'audit-more', class: 'note', 'aria-live': 'polite', hidden: true });
  const table = dataTable({ id: 'audit-table', caption: 'Audit trail entries, newest first', filename: 'audit-trail-table',
    columns: ['Time', 'Actor', 'Role', 'Actor\'s entity', 'Source address', 'Action', 'Subject', 'Entity', 'Details'],
    limit: true });
  const csv = el('button', { id: 'audit-csv', type: 'button', class: 'csv', text: 'Audit trail CSV', disabled: true,
    'aria-label': 'Download the audit trail shown, as the service\'s CSV', onclick: () => exportCsv() });

  view.append(el('h2', { tabindex: '-1', text: 'Audit trail' }),
    el('p', { class: 'note', text: 'Every staff and entity-key write, as the service that made it recorded it: who, '
      + 'when, from where, what and a few ids, counts and states (never a signer\'s data, a message, or a hold\'s '
      + 'reason). Each service keeps its own trail: ' + Object.values(SERVICES).map((s) => s.label + ' of ' + s.keeps)
      .join('; ') + '. The times are read and shown as UTC.' }),
    status, section('Filters', form), section('Entries', summary, more, csv, table.node));

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
      table.fill(page.entries.map((e) => [instant(e.at), e.actor, e.actorRole || '', e.actorEntity || '', e.source || '',
        e.action, e.subjectType + (e.subjectId ? ' ' + e.subjectId : ''), e.entityId || '', details(e.detail)]));
      summary.textContent = page.entries.length
        ? fmt(page.entries.length) + ' entr' + (page.entries.length === 1 ? 'y' : 'ies') + ' from ' + SERVICES[q.service].label + '.'
        : 'No entries in ' + SERVICES[q.service].label + '\'s trail match these filters.';
      more.hidden = !page.more;
      more.textContent = page.more ? 'More entries exist than the ' + fmt(q.limit) + ' shown: narrow the filters.' : '';
    } catch (e) {
      if (mine !== asked) { return; }
      shown = null;
      csv.disabled = true;
      table.fill([]);
      more.hidden = true;
      summary.textContent = '';
      status.replaceChildren(message('Cannot read the audit trail: ' + e.message, 'error'));
    }
  }

  async function exportCsv() {
    if (!shown) { return; }
    try {
      download('audit-' + SERVICES[shown.service].label + '.csv', await SERVICES[shown.service].read(shown.path, { accept: 'text/csv' }));
    } catch (e) { status.replaceChildren(message('Cannot download the audit trail: ' + e.message, 'error')); }
  }

  show();
  return () => { asked += 1; };
}
