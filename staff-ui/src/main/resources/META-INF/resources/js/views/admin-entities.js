// Case managers: entities (create, edit) and their API keys (case-service /api/v1/entities): issue a key, shown once
// with a copy button; rotate one (a new key, then the old one revoked); revoke one. Revoking asks first: every
// website still using the key stops being able to post. An edit names the version of the entity this page showed:
// if a colleague changed the entity since, it is refused and the entity is shown again as it is now.
import { el, dataTable, section } from '../dom.js';
import { t, date, term } from '../i18n.js';
import { caseService, uncertain, propagating } from '../api.js';
import { field, input, select, confirmStep, explain, notSaved, statusLine, secretBox, oneAtATime } from '../admin.js';

const KINDS = ['section', 'structure', 'regional-office', 'catch-all'];
const path = (id) => '/api/v1/entities/' + encodeURIComponent(id);

/**
 * Revokes an entity's key. Resolves 'propagating' when case-service stored the revocation but could not put it on
 * Kafka within its wait (202, W4R-Propagated: false): the other services still take the key until its relay gets it
 * there, so the page must not say it is refused everywhere; else 'revoked'.
 */
export async function revokeKey(entityId, keyId) {
  const answer = await caseService(path(entityId) + '/keys/' + encodeURIComponent(keyId), { method: 'DELETE', full: true });
  return propagating(answer) ? 'propagating' : 'revoked';
}

export function render(view, arg) {
  const status = statusLine('entities-status');
  const table = dataTable({ id: 'entities-table', caption: t('admin.entities.caption'), filename: 'entities', limit: true,
    columns: [t('admin.col.name'), t('admin.col.id'), t('admin.col.country'), t('admin.entities.kind'), t('col.action')] });
  const kinds = () => KINDS.map((k) => [k, term('admin.kind', k)]);
  const id = input({ id: 'entity-id', required: true, maxLength: 64, pattern: '[a-z0-9][a-z0-9-]*', autocomplete: 'off' });
  const name = input({ id: 'entity-name', required: true, maxLength: 200 });
  const country = input({ id: 'entity-country', maxLength: 2, size: 3 });
  const kind = select({ id: 'entity-kind' }, kinds());
  const create = el('form', { id: 'entity-form', class: 'form', onsubmit: (e) => { e.preventDefault(); add(); } },
    field(t('admin.col.id'), id), field(t('admin.col.name'), name), field(t('form.countryCode'), country),
    field(t('admin.entities.kind'), kind), el('button', { type: 'submit', text: t('admin.entities.create') }));
  const detail = el('div', { id: 'entity-detail' });
  view.append(el('h2', { tabindex: '-1', text: t('nav.entities') }), status.node,
    section(t('admin.entities.new'), el('p', { class: 'note', text: t('admin.idHelp') }), create), detail,
    section(t('admin.entities.caption'), table.node));

  let entities = [];

  async function add() {
    try {
      const x = await caseService('/api/v1/entities', { method: 'POST', body: { entityId: id.value.trim(), name: name.value,
        country: country.value.trim() ? country.value.trim().toUpperCase() : null, kind: kind.value } });
      status.done(t('admin.entities.created', { name: x.name }));
      create.reset();
      await load();
      show(x.entityId);
    } catch (e) { status.failed(t('admin.notSaved', { reason: explain(e) })); }
  }

  // One entity: its edit form and its keys.
  async function show(entityId, secret) {
    const x = entities.find((e) => e.entityId === entityId);
    if (!x) { detail.replaceChildren(); return; }
    const newName = input({ id: 'edit-entity-name', required: true, maxLength: 200, value: x.name });
    const newCountry = input({ id: 'edit-entity-country', maxLength: 2, size: 3, value: x.country || '' });
    const newKind = select({ id: 'edit-entity-kind' }, kinds());
    newKind.value = x.kind;
    const edit = el('form', { id: 'entity-edit', class: 'form', onsubmit: async (e) => {
      e.preventDefault();
      const body = { name: newName.value, kind: newKind.value };
      if (newCountry.value.trim()) { body.country = newCountry.value.trim().toUpperCase(); }
      try {
        await caseService(path(x.entityId), { method: 'PATCH', body, version: x.version });
        status.done(t('admin.entities.saved', { name: newName.value }));
        await load(); show(x.entityId);
      } catch (err) { await notSaved(status, err, async () => { await load(); await show(x.entityId); }); }
    } }, field(t('admin.col.name'), newName), field(t('form.countryCode'), newCountry), field(t('admin.entities.kind'), newKind),
    el('button', { type: 'submit', text: t('admin.save') }));
    const keys = dataTable({ id: 'keys-table', caption: t('admin.keys.caption', { name: x.name }), filename: 'keys',
      columns: [t('admin.keys.keyId'), t('admin.keys.created'), t('admin.keys.expires'), t('col.status'), t('col.action')] });
    const issue = el('button', { type: 'button', id: 'issue-key', text: t('admin.keys.issue'), onclick: () => issuing(() => issueKey(x)) });
    detail.replaceChildren(section(t('admin.entities.manage', { name: x.name }), edit,
      el('h4', { text: t('admin.keys.title') }), el('p', { class: 'note', text: t('admin.keys.help') }),
      secret || '', el('p', {}, issue), keys.node));
    detail.querySelector('h3').setAttribute('tabindex', '-1');
    try {
      const list = await caseService(path(x.entityId) + '/keys');
      const now = Date.now();
      keys.fill(list.map((k) => {
        const active = !k.revokedAt && (!k.expiresAt || Date.parse(k.expiresAt) > now);
        return [k.keyId, date(k.createdAt), k.expiresAt ? date(k.expiresAt) : '',
          { text: k.revokedAt ? t('admin.keys.revokedAt', { at: date(k.revokedAt) }) : active ? t('admin.keys.active') : t('admin.keys.expired'),
            value: k.revokedAt ? 'revoked' : active ? 'active' : 'expired' },
          { value: '', node: active ? el('span', { class: 'actions' },
            el('button', { type: 'button', class: 'rotate', text: t('admin.keys.rotate'), 'aria-label': t('admin.keys.rotateOf', { key: k.keyId }),
              onclick: () => issuing(() => rotate(x, k)) }),
            el('button', { type: 'button', class: 'lift', text: t('admin.keys.revoke'), 'aria-label': t('admin.keys.revokeOf', { key: k.keyId }),
              onclick: async () => { if (await revoke(x, k)) { await show(x.entityId); } } })) : '' }];
      }));
    } catch (e) { status.failed(t('admin.cannotRead', { reason: explain(e) })); }
  }

  // One new key at a time from the page's issue and rotate buttons: a double click made two live keys (against the
  // entity's limit), and the page showed only the second one's secret.
  const issuing = oneAtATime((write) => write(),
    () => [detail.querySelector('#issue-key'), ...detail.querySelectorAll('button.rotate')]);

  // After any failure the keys are read again: one issued under an unknown outcome is listed, with a secret nobody
  // saw, to be revoked.
  async function issueFailed(x, e) {
    await show(x.entityId);
    status.failed(uncertain(e) ? t('admin.keys.maybeIssued', { name: x.name }) : t('admin.notSaved', { reason: explain(e) }));
  }

  async function issueKey(x) {
    let key;
    try { key = await caseService(path(x.entityId) + '/keys', { method: 'POST' }); } catch (e) { await issueFailed(x, e); return null; }
    status.done(t('admin.keys.issued', { name: x.name }));
    await show(x.entityId, secretBox(t('admin.keys.newKey', { key: key.keyId }), key.key, 'new-key'));
    return key;
  }

  /** Resolves 'revoked', 'propagating' (stored, not yet refused everywhere: see revokeKey) or false. */
  async function revoke(x, k, question) {
    if (!await confirmStep(question || t('admin.keys.confirmRevoke', { key: k.keyId, name: x.name }), t('admin.keys.revoke'))) { return false; }
    try {
      const done = await revokeKey(x.entityId, k.keyId);
      status.done(t(done === 'propagating' ? 'admin.keys.revokedPropagating' : 'admin.keys.revoked', { key: k.keyId }));
      return done;
    } catch (e) {
      status.failed(t('admin.notSaved', { reason: explain(e) }));
      return false;
    }
  }

  // Rotation: the new key first (the website switches to it), then the old one revoked once the person confirms.
  async function rotate(x, k) {
    let key;
    try { key = await caseService(path(x.entityId) + '/keys', { method: 'POST' }); } catch (e) { await issueFailed(x, e); return; }
    const box = secretBox(t('admin.keys.newKey', { key: key.keyId }), key.key, 'new-key');
    await show(x.entityId, box);
    const revoked = await revoke(x, k, t('admin.keys.confirmRotate', { key: k.keyId }));
    status.done(revoked ? t(revoked === 'propagating' ? 'admin.keys.rotatedPropagating' : 'admin.keys.rotated',
      { old: k.keyId, key: key.keyId }) : t('admin.keys.issued', { name: x.name }));
    await show(x.entityId, box);
  }

  async function load() {
    try {
      entities = await caseService('/api/v1/entities');
      table.fill(entities.map((x) => [x.name, x.entityId, x.country || '', { text: term('admin.kind', x.kind), value: x.kind },
        { value: '', node: el('button', { type: 'button', text: t('admin.manage'), 'aria-label': t('admin.manageOf', { name: x.name }),
          onclick: () => { show(x.entityId).then(() => detail.querySelector('h3').focus()); } }) }]));
    } catch (e) { status.failed(t('admin.cannotRead', { reason: explain(e) })); }
  }
  load().then(() => { if (arg) { show(arg); } });
  return () => {};
}
