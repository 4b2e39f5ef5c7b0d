// The entity portal's keys and webhooks (issue 21.3). Keys through case-service, within its rules for an entity key
// (at most 3 active keys, each for at most a year: the service refuses beyond, and the page says why); a new key's
// secret is in the answer of its issue only, so the page shows it once, with a copy button, and never again.
// Webhooks through tally-service: the entity's own, and each one's recent deliveries (no secret, no body).
import { el, dataTable, section, message } from '../dom.js';
import { t, date } from '../i18n.js';
import { caseService, tallyService, propagating } from '../api.js';

export function render(view) {
  const status = el('p', { id: 'portal-keys-status', class: 'note', 'aria-live': 'polite' });
  const keys = dataTable({ id: 'portal-keys', caption: t('portal.keys.caption'), filename: 'keys',
    columns: [t('portal.keys.keyId'), t('portal.keys.created'), t('portal.keys.expires'), t('portal.keys.state'),
      t('portal.keys.action')] });
  const issued = el('div', { id: 'portal-new-key', 'aria-live': 'polite' });
  const issue = el('button', { id: 'portal-issue-key', type: 'button', text: t('portal.keys.issue'), onclick: () => issueKey() });
  const hooks = dataTable({ id: 'portal-webhooks', caption: t('portal.webhooks.caption'), filename: 'webhooks',
    columns: [t('portal.webhooks.url'), t('portal.webhooks.events'), t('portal.keys.created'), t('portal.keys.action')] });
  const deliveriesTitle = el('p', { class: 'note', text: t('portal.webhooks.pick') });
  const deliveries = dataTable({ id: 'portal-webhook-deliveries', caption: t('portal.webhooks.deliveriesCaption'),
    filename: 'webhook-deliveries', limit: true, columns: [t('portal.webhooks.created'), t('portal.webhooks.eventType'),
      t('portal.webhooks.state'), t('portal.webhooks.attempts'), t('portal.webhooks.lastStatus'),
      t('portal.webhooks.lastError'), t('portal.webhooks.delivered')], numeric: [3] });
  view.append(el('h2', { tabindex: '-1', text: t('portal.keys.title') }), status,
    section(t('portal.keys.caption'), el('p', { class: 'note', text: t('portal.keys.rules') }), keys.node, issue, issued),
    section(t('portal.webhooks.caption'), hooks.node),
    section(t('portal.webhooks.deliveriesCaption'), deliveriesTitle, deliveries.node));

  let entityId = null;
  const keysPath = () => '/api/v1/entities/' + encodeURIComponent(entityId) + '/keys';

  function shown(k) {
    const input = el('input', { id: 'portal-new-key-secret', type: 'text', readOnly: true, value: k.key, size: 48,
      onfocus: (e) => e.target.select() });
    const copied = el('span', { class: 'note', 'aria-live': 'polite' });
    const copy = el('button', { id: 'portal-copy-key', type: 'button', text: t('portal.keys.copy'), onclick: async () => {
      try {
        await navigator.clipboard.writeText(k.key);
        copied.textContent = t('portal.keys.copied');
      } catch (e) {
        input.focus();
        input.select();
        copied.textContent = t('portal.keys.copyYourself');
      }
    } });
    issued.replaceChildren(el('div', { class: 'card' },
      el('p', { text: t('portal.keys.shownOnce', { keyId: k.keyId, expires: date(k.expiresAt) }) }),
      el('p', { class: 'actions' }, el('label', { htmlFor: input.id, text: t('portal.keys.newKey') }), input, copy, copied)));
    input.focus();
  }

  async function issueKey() {
    if (issue.disabled) { return; }
    issue.disabled = true; // one key per press: a second one would count against the entity's three
    try {
      const k = await caseService(keysPath(), { method: 'POST' });
      shown(k);
      status.textContent = t('portal.keys.issued', { keyId: k.keyId });
      await loadKeys();
    } catch (e) { status.textContent = t('portal.keys.notIssued', { reason: e.message }); }
    finally { issue.disabled = false; }
  }

  async function revoke(k) {
    if (!window.confirm(t('portal.keys.confirmRevoke', { keyId: k.keyId }))) { return; }
    try {
      const answer = await caseService(keysPath() + '/' + encodeURIComponent(k.keyId), { method: 'DELETE', full: true });
      // stored but not yet on Kafka: the other services still take the key until it gets there
      status.textContent = t(propagating(answer) ? 'portal.keys.revokedPropagating' : 'portal.keys.revoked', { keyId: k.keyId });
      await loadKeys();
    } catch (e) { status.textContent = t('portal.keys.notRevoked', { reason: e.message }); }
  }

  const state = (k) => {
    if (k.revokedAt) { return { text: t('portal.keys.revokedAt', { at: date(k.revokedAt) }), value: 'revoked' }; }
    if (k.expiresAt && new Date(k.expiresAt) < new Date()) { return { text: t('portal.keys.expired'), value: 'expired' }; }
    return { text: t('portal.keys.active'), value: 'active' };
  };

  async function loadKeys() {
    const list = await caseService(keysPath());
    keys.fill(list.map((k) => [k.keyId, { text: date(k.createdAt), value: k.createdAt },
      { text: k.expiresAt ? date(k.expiresAt) : t('portal.keys.never'), value: k.expiresAt || '' }, state(k),
      k.revokedAt ? '' : { node: el('button', { type: 'button', class: 'reject', text: t('portal.keys.revoke'),
        'aria-label': t('portal.keys.revokeLabel', { keyId: k.keyId }), onclick: () => revoke(k) }), value: '' }]));
  }

  async function showDeliveries(w) {
    try {
      const list = await tallyService('/api/v1/webhooks/' + encodeURIComponent(w.id) + '/deliveries');
      deliveriesTitle.textContent = t('portal.webhooks.of', { url: w.url, count: list.length });
      deliveries.fill(list.map((d) => [{ text: date(d.createdAt), value: d.createdAt }, d.eventType, d.state, d.attempts,
        d.lastStatus == null ? '' : String(d.lastStatus), d.lastError || '',
        { text: date(d.deliveredAt), value: d.deliveredAt || '' }]));
    } catch (e) { status.textContent = t('portal.cannotRead', { reason: e.message }); }
  }

  async function loadHooks() {
    const list = await tallyService('/api/v1/webhooks');
    hooks.fill(list.map((w) => [w.url, w.events.join(', '), { text: date(w.createdAt), value: w.createdAt },
      { node: el('button', { type: 'button', text: t('portal.webhooks.show'),
        'aria-label': t('portal.webhooks.showLabel', { url: w.url }), onclick: () => showDeliveries(w) }), value: '' }]));
    if (!list.length) { deliveriesTitle.textContent = t('portal.webhooks.none'); }
  }

  (async () => {
    try {
      entityId = (await tallyService('/api/v1/me')).entityId;
      await Promise.all([loadKeys(), loadHooks()]);
    } catch (e) { view.append(message(t('portal.cannotRead', { reason: e.message }), 'error')); }
  })();
  return () => {};
}
