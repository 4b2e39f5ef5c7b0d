// Case managers: staff tokens (case-service /api/v1/staff): add a person with a role (the token shown once, with a
// copy button), give them another token, revoke one (asked first). One principal has one role: another role is
// another principal.
import { el, dataTable, section } from '../dom.js';
import { t, date, term } from '../i18n.js';
import { caseService, uncertain, propagating } from '../api.js';
import { field, input, select, confirmStep, explain, statusLine, secretBox, endOf, oneAtATime } from '../admin.js';

const ROLES = ['coordinator', 'case-manager', 'delivery', 'moderator'];

export function render(view) {
  const status = statusLine('staff-status');
  const table = dataTable({ id: 'staff-table', caption: t('admin.staff.caption'), filename: 'staff-tokens',
    columns: [t('admin.staff.principal'), t('admin.staff.role'), t('admin.keys.keyId'), t('admin.keys.created'),
      t('admin.keys.expires'), t('col.status'), t('col.action')] });
  const principal = input({ id: 'staff-principal', required: true, maxLength: 100, autocomplete: 'off' });
  const role = select({ id: 'staff-role' }, ROLES.map((r) => [r, term('role', r)]));
  const expires = input({ id: 'staff-expires', type: 'date' });
  const secret = el('div', { id: 'staff-secret' });
  const form = el('form', { id: 'staff-form', class: 'form', onsubmit: (e) => { e.preventDefault(); issue(principal.value.trim(), role.value); } },
    field(t('admin.staff.principal'), principal), field(t('admin.staff.role'), role), field(t('admin.staff.expires'), expires),
    el('button', { type: 'submit', text: t('admin.staff.issue') }));
  view.append(el('h2', { tabindex: '-1', text: t('nav.staff') }), status.node,
    section(t('admin.staff.new'), el('p', { class: 'note', text: t('admin.staff.help') }), form, secret),
    section(t('admin.staff.caption'), table.node));

  // One token at a time from every issue button of the page: a double click made two live tokens, and the page showed
  // only the second one's secret. After any failure the list is read again: a token issued under an unknown outcome
  // is in it, with a secret nobody saw, to be revoked.
  const issue = oneAtATime(async (who, as) => {
    try {
      const token = await caseService('/api/v1/staff', { method: 'POST', body: { principal: who, role: as,
        expiresAt: expires.value ? endOf(expires.value) : null } });
      status.done(t('admin.staff.issued', { principal: who, role: term('role', as) }));
      secret.replaceChildren(secretBox(t('admin.staff.newToken', { principal: who }), token.token, 'new-token'));
      form.reset();
      await load();
    } catch (e) {
      await load();
      status.failed(uncertain(e) ? t('admin.staff.maybeIssued', { principal: who }) : t('admin.notSaved', { reason: explain(e) }));
    }
  }, () => [form.querySelector('button[type=submit]'), ...table.node.querySelectorAll('button.another')]);

  async function revoke(k) {
    if (!await confirmStep(t('admin.staff.confirmRevoke', { key: k.keyId, principal: k.principal }), t('admin.keys.revoke'))) { return; }
    try {
      const answer = await caseService('/api/v1/staff/' + encodeURIComponent(k.principal) + '/tokens/' + encodeURIComponent(k.keyId),
        { method: 'DELETE', full: true });
      // stored but not yet on Kafka: the other services still take the token until it gets there
      status.done(t(propagating(answer) ? 'admin.keys.revokedPropagating' : 'admin.keys.revoked', { key: k.keyId }));
      await load();
    } catch (e) { status.failed(t('admin.notSaved', { reason: explain(e) })); }
  }

  async function load() {
    try {
      const tokens = await caseService('/api/v1/staff');
      const now = Date.now();
      table.fill(tokens.map((k) => {
        const active = !k.revokedAt && (!k.expiresAt || Date.parse(k.expiresAt) > now);
        return [k.principal, { text: term('role', k.role), value: k.role }, k.keyId, date(k.createdAt), k.expiresAt ? date(k.expiresAt) : '',
          { text: k.revokedAt ? t('admin.keys.revokedAt', { at: date(k.revokedAt) }) : active ? t('admin.keys.active') : t('admin.keys.expired'),
            value: k.revokedAt ? 'revoked' : active ? 'active' : 'expired' },
          { value: '', node: el('span', { class: 'actions' },
            el('button', { type: 'button', class: 'another', text: t('admin.staff.another'), 'aria-label': t('admin.staff.anotherFor', { principal: k.principal }),
              onclick: () => issue(k.principal, k.role) }),
            active ? el('button', { type: 'button', class: 'lift', text: t('admin.keys.revoke'),
              'aria-label': t('admin.keys.revokeOf', { key: k.keyId }), onclick: () => revoke(k) }) : null) }];
      }));
    } catch (e) { status.failed(t('admin.cannotRead', { reason: explain(e) })); }
  }
  load();
  return () => {};
}
