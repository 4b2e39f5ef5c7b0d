// Case managers: campaigns (editions) with their window, per-entity extensions and which one is current
// (case-service /api/v1/campaigns). Making another campaign current and ending an extension ask first. An edit, an
// extension and making it current name the version of the campaign this page showed: if a colleague changed the
// campaign since, the change is refused and the campaign is shown again as it is now.
import { el, dataTable, section } from '../dom.js';
import { t, date } from '../i18n.js';
import { caseService } from '../api.js';
import { field, tick, input, select, confirmStep, explain, notSaved, statusLine, startOf, closeAfter, dayOf, lastOpenDay,
  windowSent, today } from '../admin.js';

const path = (id) => '/api/v1/campaigns/' + encodeURIComponent(id);

export function render(view) {
  const status = statusLine('campaigns-status');
  const table = dataTable({ id: 'campaigns-table', caption: t('admin.campaigns.caption'), filename: 'campaigns',
    columns: [t('admin.col.name'), t('admin.col.id'), t('admin.col.opens'), t('admin.col.closes'), t('admin.col.current'),
      t('admin.col.extensions'), t('col.action')] });

  const id = input({ id: 'campaign-id', required: true, maxLength: 64, pattern: '[a-z0-9][a-z0-9-]*', autocomplete: 'off' });
  const name = input({ id: 'campaign-name', required: true, maxLength: 200 });
  const opens = input({ id: 'campaign-opens', type: 'date', required: true, value: today() });
  const closes = input({ id: 'campaign-closes', type: 'date', required: true, value: today(60) });
  const current = el('input', { id: 'campaign-current', type: 'checkbox' });
  const create = el('form', { id: 'campaign-form', class: 'form', onsubmit: (e) => { e.preventDefault(); add(); } },
    field(t('admin.col.id'), id), field(t('admin.col.name'), name), field(t('admin.campaigns.opens'), opens),
    field(t('admin.campaigns.closes'), closes), tick(t('admin.campaigns.makeCurrent'), current),
    el('button', { type: 'submit', text: t('admin.campaigns.create') }));
  const detail = el('div', { id: 'campaign-detail' });
  view.append(el('h2', { tabindex: '-1', text: t('nav.campaigns') }), status.node,
    section(t('admin.campaigns.new'), el('p', { class: 'note', text: t('admin.idHelp') }), create),
    section(t('admin.campaigns.caption'), table.node), detail);

  let campaigns = [];
  let entities = [];

  async function add() {
    try {
      const c = await caseService('/api/v1/campaigns', { method: 'POST', body: { campaignId: id.value.trim(),
        name: name.value, opensAt: startOf(opens.value), closesAt: closeAfter(closes.value), current: current.checked || null } });
      status.done(t('admin.campaigns.created', { name: c.name }));
      create.reset(); opens.value = today(); closes.value = today(60);
      await load();
      show(c.campaignId);
    } catch (e) { status.failed(t('admin.notSaved', { reason: explain(e) })); }
  }

  // the campaign as it is now: after a change, or after a refusal because a colleague changed it first
  async function reread(c) {
    await load();
    show(c.campaignId);
  }

  async function change(c, body, done) {
    try {
      await caseService(path(c.campaignId), { method: 'PATCH', body, version: c.version });
      status.done(done);
      await reread(c);
    } catch (e) { await notSaved(status, e, () => reread(c)); }
  }

  async function makeCurrent(c) {
    if (!await confirmStep(t('admin.campaigns.confirmCurrent', { name: c.name }), t('admin.campaigns.makeCurrentButton'))) { return; }
    change(c, { current: true }, t('admin.campaigns.nowCurrent', { name: c.name }));
  }

  // One campaign's window and extensions, below the table. A close is exclusive: the form shows its last open day, and
  // a day left as shown is sent back as it was read (windowSent), so renaming a campaign never moves its window.
  function show(campaignId) {
    const c = campaigns.find((x) => x.campaignId === campaignId);
    if (!c) { detail.replaceChildren(); return; }
    const newName = input({ id: 'edit-campaign-name', required: true, maxLength: 200, value: c.name });
    const newOpens = input({ id: 'edit-campaign-opens', type: 'date', required: true, value: dayOf(c.opensAt) });
    const newCloses = input({ id: 'edit-campaign-closes', type: 'date', required: true, value: lastOpenDay(c.closesAt) });
    const edit = el('form', { id: 'campaign-edit', class: 'form', onsubmit: (e) => { e.preventDefault();
      change(c, Object.assign({ name: newName.value }, windowSent(c, newOpens.value, newCloses.value)),
        t('admin.campaigns.saved', { name: newName.value })); } },
      field(t('admin.col.name'), newName), field(t('admin.campaigns.opens'), newOpens), field(t('admin.campaigns.closes'), newCloses),
      el('button', { type: 'submit', text: t('admin.save') }));
    const entity = select({ id: 'extension-entity', required: true }, entities.map((x) => [x.entityId, x.name]));
    const until = input({ id: 'extension-until', type: 'date', required: true, value: lastOpenDay(c.closesAt) });
    const extend = el('form', { id: 'extension-form', class: 'form', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await caseService(path(c.campaignId) + '/extensions/' + encodeURIComponent(entity.value),
          { method: 'PUT', body: { closesAt: closeAfter(until.value) }, version: c.version });
        status.done(t('admin.campaigns.extended', { entity: entity.selectedOptions[0].text }));
        await reread(c);
      } catch (err) { await notSaved(status, err, () => reread(c)); }
    } }, field(t('admin.col.entity'), entity), field(t('admin.campaigns.extendedUntil'), until),
    el('button', { type: 'submit', text: t('admin.campaigns.extend') }));
    const extensions = dataTable({ id: 'extensions-table', caption: t('admin.campaigns.extensionsOf', { name: c.name }),
      filename: 'extensions', columns: [t('admin.col.entity'), t('admin.col.closes'), t('col.action')] });
    extensions.fill(c.extensions.map((x) => [nameOf(x.entityId), date(x.closesAt), { value: '', node: el('button', {
      type: 'button', class: 'lift', text: t('admin.campaigns.endExtension'),
      'aria-label': t('admin.campaigns.endExtensionOf', { entity: nameOf(x.entityId) }),
      onclick: async () => {
        if (!await confirmStep(t('admin.campaigns.confirmEnd', { entity: nameOf(x.entityId), name: c.name }), t('admin.campaigns.endExtension'))) { return; }
        try {
          await caseService(path(c.campaignId) + '/extensions/' + encodeURIComponent(x.entityId), { method: 'DELETE' });
          status.done(t('admin.campaigns.extensionEnded', { entity: nameOf(x.entityId) }));
          await load(); show(c.campaignId);
        } catch (err) { status.failed(t('admin.notSaved', { reason: explain(err) })); }
      } }) }]));
    detail.replaceChildren(section(t('admin.campaigns.manage', { name: c.name }),
      edit, el('h4', { text: t('admin.col.extensions') }), el('p', { class: 'note', text: t('admin.campaigns.extensionHelp') }),
      extensions.node, extend));
    detail.querySelector('h3').setAttribute('tabindex', '-1');
  }

  const nameOf = (entityId) => (entities.find((x) => x.entityId === entityId) || {}).name || entityId;

  async function load() {
    try {
      [campaigns, entities] = await Promise.all([caseService('/api/v1/campaigns'), caseService('/api/v1/entities')]);
      table.fill(campaigns.map((c) => [c.name, c.campaignId, date(c.opensAt), date(c.closesAt),
        { text: c.current ? t('admin.yes') : '', value: c.current },
        { text: c.extensions.length ? String(c.extensions.length) : '', value: c.extensions.length },
        { value: '', node: el('span', { class: 'actions' },
          el('button', { type: 'button', text: t('admin.manage'), 'aria-label': t('admin.manageOf', { name: c.name }),
            onclick: () => { show(c.campaignId); detail.querySelector('h3').focus(); } }),
          c.current ? null : el('button', { type: 'button', text: t('admin.campaigns.makeCurrentButton'),
            'aria-label': t('admin.campaigns.makeCurrentOf', { name: c.name }), onclick: () => makeCurrent(c) })) }]));
    } catch (e) { status.failed(t('admin.cannotRead', { reason: explain(e) })); }
  }
  load();
  return () => {};
}
