// Moderators: the queue of pending solidarity messages (petition-service), approve or reject each.
// Messages are people's own words: shown with textContent only, so markup in them is just text.
import { el, date, dataTable, section, message } from '../dom.js';
import { petitionService } from '../api.js';
import { caseName, entityName } from '../model.js';

export function render(view) {
  const status = el('p', { class: 'note', 'aria-live': 'polite' });
  const list = el('ol', { id: 'moderation-queue', class: 'queue' });
  const table = dataTable({ id: 'moderation-table', caption: 'Pending messages', filename: 'moderation-queue',
    columns: ['Received', 'Case', 'Entity', 'Author', 'Country', 'Language', 'Text'] });
  const refreshButton = el('button', { type: 'button', id: 'moderation-refresh', text: 'Refresh', onclick: () => load() });
  view.append(el('h2', { tabindex: '-1', text: 'Moderation queue' }), el('div', { class: 'toolbar' }, refreshButton), status,
    section('Pending messages', list), section('Queue as a table', table.node));

  async function decide(m, body, item) {
    try {
      await petitionService('/api/v1/messages/' + encodeURIComponent(m.messageId) + '/decision', { method: 'POST', body });
      item.remove();
      status.textContent = 'Message ' + (body.decision === 'approve' ? 'approved' : 'rejected') + '.';
    } catch (e) { status.textContent = 'Not saved: ' + e.message; }
  }

  function entry(m) {
    const reason = el('input', { type: 'text', id: 'reason-' + m.messageId, maxLength: 500 });
    const abuse = el('input', { type: 'checkbox', id: 'abuse-' + m.messageId });
    const item = el('li', { class: 'message card', 'data-message-id': m.messageId });
    item.append(
      el('p', { class: 'meta', text: caseName(m.caseId) + ' · ' + entityName(m.entityId) + ' · ' + date(m.createdAt) }),
      el('blockquote', { class: 'message-text', lang: m.language || null, text: m.text }),
      el('p', { class: 'meta', text: '— ' + ((m.author && m.author.name) || 'anonymous')
        + (m.author && m.author.country ? ' (' + m.author.country + ')' : '') }),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'approve', text: 'Approve', onclick: () => decide(m, { decision: 'approve' }, item) }),
        el('label', { htmlFor: reason.id, text: 'Reason' }), reason,
        abuse, el('label', { htmlFor: abuse.id, text: 'Abusive (take it out of the counts)' }),
        el('button', { type: 'button', class: 'reject', text: 'Reject', onclick: () => decide(m,
          { decision: 'reject', reason: reason.value || 'rejected by moderation', abuse: abuse.checked }, item) })));
    return item;
  }

  async function load() {
    try {
      const messages = await petitionService('/api/v1/messages?status=pending&limit=1000');
      list.replaceChildren(...messages.map(entry));
      table.fill(messages.map((m) => [date(m.createdAt), m.caseId, m.entityId, m.author && m.author.name,
        m.author && m.author.country, m.language, m.text]));
      status.textContent = messages.length + ' message(s) waiting.';
    } catch (e) { status.replaceChildren(message('Cannot read the queue: ' + e.message, 'error')); }
  }
  load();
  const timer = setInterval(load, 10000);
  return () => clearInterval(timer);
}
