// Moderators: the queue of pending solidarity messages (petition-service), approve or reject each.
// Messages are people's own words: shown with textContent only, so markup in them is just text.
import { el, dataTable, section, message } from '../dom.js';
import { t, date } from '../i18n.js';
import { petitionService } from '../api.js';
import { caseName, entityName, campaign } from '../model.js';

export function render(view) {
  const status = el('p', { class: 'note', 'aria-live': 'polite' });
  const list = el('ol', { id: 'moderation-queue', class: 'queue' });
  const table = dataTable({ id: 'moderation-table', caption: t('moderation.pending'), filename: 'moderation-queue',
    columns: [t('col.received'), t('col.case'), t('col.entity'), t('col.author'), t('col.country'), t('col.language'),
      t('col.text')] });
  const refreshButton = el('button', { type: 'button', id: 'moderation-refresh', text: t('moderation.refresh'), onclick: () => load() });
  view.append(el('h2', { tabindex: '-1', text: t('nav.moderation') }), el('div', { class: 'toolbar' }, refreshButton), status,
    section(t('moderation.pending'), list), section(t('moderation.asTable'), table.node));

  async function decide(m, body, item) {
    try {
      await petitionService('/api/v1/messages/' + encodeURIComponent(m.messageId) + '/decision', { method: 'POST', body });
      item.remove();
      status.textContent = body.decision === 'approve' ? t('moderation.approved') : t('moderation.rejected');
    } catch (e) { status.textContent = t('error.notSaved', { reason: e.message }); }
  }

  function entry(m) {
    const reason = el('input', { type: 'text', id: 'reason-' + m.messageId, maxLength: 500 });
    const abuse = el('input', { type: 'checkbox', id: 'abuse-' + m.messageId });
    const item = el('li', { class: 'message card', 'data-message-id': m.messageId });
    item.append(
      el('p', { class: 'meta', text: caseName(m.caseId) + ' · ' + entityName(m.entityId) + ' · ' + date(m.createdAt) }),
      // a message in any language on a page in any other: its own direction (dir=auto), its own language
      el('blockquote', { class: 'message-text', lang: m.language || null, dir: 'auto', text: m.text }),
      el('p', { class: 'meta', text: m.author && m.author.name
        ? (m.author.country ? t('moderation.byFrom', { author: m.author.name, country: m.author.country })
          : t('moderation.by', { author: m.author.name }))
        : t('moderation.anonymous') }),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'approve', text: t('moderation.approve'), onclick: () => decide(m, { decision: 'approve' }, item) }),
        el('label', { htmlFor: reason.id, text: t('form.reason') }), reason,
        abuse, el('label', { htmlFor: abuse.id, text: t('moderation.abusive') }),
        el('button', { type: 'button', class: 'reject', text: t('moderation.reject'), onclick: () => decide(m,
          // a rejection needs a reason: the moderator's, or this one in the moderator's language
          { decision: 'reject', reason: reason.value || t('moderation.defaultReason'), abuse: abuse.checked }, item) })));
    return item;
  }

  async function load() {
    try {
      // the campaign the picker shows (the current one unless another was chosen): a past edition's queue is not this one's
      const shown = await campaign();
      const messages = await petitionService('/api/v1/messages?status=pending&limit=1000&campaignId='
        + encodeURIComponent(shown.campaign.campaignId));
      list.replaceChildren(...messages.map(entry));
      table.fill(messages.map((m) => [date(m.createdAt), m.caseId, m.entityId, m.author && m.author.name,
        m.author && m.author.country, m.language,
        { node: el('span', { lang: m.language || null, dir: 'auto', text: m.text }), value: m.text }]));
      status.textContent = t('moderation.waiting', { count: messages.length });
    } catch (e) { status.replaceChildren(message(t('moderation.cannotRead', { reason: e.message }), 'error')); }
  }
  load();
  const timer = setInterval(load, 10000);
  return () => clearInterval(timer);
}
