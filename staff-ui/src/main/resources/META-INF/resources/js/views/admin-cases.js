// Case managers: the cases of a campaign (case-service /api/v1/cases): create one as a draft (global, or local to an
// entity), edit it (name, target authority, country, goal, public counter), activate it, close it (asked first: a
// closed case cannot be opened again). An edit or a status change names the version of the case this page showed:
// if a colleague changed the case since, it is refused and the case is shown again as it is now.
import { el, dataTable, section } from '../dom.js';
import { t, term } from '../i18n.js';
import { caseService } from '../api.js';
import { field, tick, input, select, confirmStep, explain, notSaved, statusLine } from '../admin.js';

const path = (id) => '/api/v1/cases/' + encodeURIComponent(id);

export function render(view) {
  const status = statusLine('cases-status');
  const campaignPick = el('select', { id: 'cases-campaign' });
  const table = dataTable({ id: 'cases-table', caption: t('admin.cases.caption'), filename: 'cases', numeric: [5],
    columns: [t('col.case'), t('admin.col.id'), t('admin.cases.scope'), t('col.status'), t('admin.cases.target'), t('col.goal'),
      t('admin.cases.publicCounter'), t('col.action')] });

  const id = input({ id: 'case-id', required: true, maxLength: 64, pattern: '[a-z0-9][a-z0-9-]*', autocomplete: 'off' });
  const name = input({ id: 'case-name', required: true, maxLength: 200 });
  const country = input({ id: 'case-country', required: true, maxLength: 2, size: 3 });
  const target = input({ id: 'case-target', maxLength: 300 });
  const demand = input({ id: 'case-demand', maxLength: 1000 });
  const scope = select({ id: 'case-scope' }, [['global', t('admin.cases.global')], ['local', t('admin.cases.local')]]);
  const local = el('select', { id: 'case-entity', disabled: true });
  const goal = input({ id: 'case-goal', type: 'number', min: 0, max: 1000000000, step: 1 });
  const counter = el('input', { id: 'case-counter', type: 'checkbox', checked: true, defaultChecked: true });
  scope.addEventListener('change', () => { local.disabled = scope.value !== 'local'; local.required = !local.disabled; });
  const create = el('form', { id: 'case-form', class: 'form', onsubmit: (e) => { e.preventDefault(); add(); } },
    field(t('admin.col.id'), id), field(t('admin.col.name'), name), field(t('form.countryCode'), country),
    field(t('admin.cases.target'), target), field(t('admin.cases.demand'), demand), field(t('admin.cases.scope'), scope), field(t('admin.cases.localEntity'), local),
    field(t('col.goal'), goal), tick(t('admin.cases.publicCounter'), counter),
    el('button', { type: 'submit', text: t('admin.cases.create') }));
  const detail = el('div', { id: 'case-detail' });
  view.append(el('h2', { tabindex: '-1', text: t('nav.cases') }), status.node,
    el('p', { class: 'campaign-pick' }, el('label', { htmlFor: campaignPick.id, text: t('admin.cases.campaign') }), ' ', campaignPick),
    section(t('admin.cases.new'), el('p', { class: 'note', text: t('admin.cases.draftHelp') }), create),
    section(t('admin.cases.caption'), table.node), detail);

  let cases = [];
  let entityNames = {};

  async function add() {
    try {
      const c = await caseService('/api/v1/cases', { method: 'POST', body: { caseId: id.value.trim(), campaignId: campaignPick.value,
        name: name.value, country: country.value.trim().toUpperCase(), targetAuthority: target.value || null, demand: demand.value || null, scope: scope.value,
        localEntityId: scope.value === 'local' ? local.value : null, goal: goal.value === '' ? null : Number(goal.value), publicCounter: counter.checked } });
      status.done(t('admin.cases.created', { name: c.name }));
      create.reset(); local.disabled = true;
      await load();
    } catch (e) { status.failed(t('admin.notSaved', { reason: explain(e) })); }
  }

  async function setStatus(c, to) {
    if (to === 'closed' && !await confirmStep(t('admin.cases.confirmClose', { name: c.name }), t('admin.cases.close'))) { return; }
    try {
      await caseService(path(c.caseId) + '/status', { method: 'POST', body: { status: to }, version: c.version });
      status.done(t('admin.cases.statusChanged', { name: c.name, status: term('caseStatus', to) }));
      await load();
    } catch (e) { await notSaved(status, e, load); }
  }

  // The case as it is now, in the edit form if it is still open: what a colleague changed is what the person sees.
  async function reread(c) {
    await load();
    const now = cases.find((x) => x.caseId === c.caseId);
    if (now && now.status !== 'closed') { edit(now); } else { detail.replaceChildren(); }
  }

  function edit(c) {
    const newName = input({ id: 'edit-case-name', required: true, maxLength: 200, value: c.name });
    const newTarget = input({ id: 'edit-case-target', maxLength: 300, value: c.targetAuthority || '' });
    const newDemand = input({ id: 'edit-case-demand', maxLength: 1000, value: c.demand || '' });
    const newCountry = input({ id: 'edit-case-country', required: true, maxLength: 2, size: 3, value: c.country || '' });
    const newGoal = input({ id: 'edit-case-goal', type: 'number', min: 0, max: 1000000000, step: 1, value: c.goal == null ? '' : c.goal });
    const newCounter = el('input', { id: 'edit-case-counter', type: 'checkbox', checked: !!c.publicCounter });
    const form = el('form', { id: 'case-edit', class: 'form', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await caseService(path(c.caseId), { method: 'PATCH', body: { name: newName.value, targetAuthority: newTarget.value, demand: newDemand.value,
          country: newCountry.value.trim().toUpperCase(), goal: newGoal.value === '' ? undefined : Number(newGoal.value), publicCounter: newCounter.checked },
          version: c.version });
        status.done(t('admin.cases.saved', { name: newName.value }));
        detail.replaceChildren();
        await load();
      } catch (err) { await notSaved(status, err, () => reread(c)); }
    } }, field(t('admin.col.name'), newName), field(t('admin.cases.target'), newTarget),
    field(t('admin.cases.demand'), newDemand), field(t('form.countryCode'), newCountry),
    field(t('col.goal'), newGoal), tick(t('admin.cases.publicCounter'), newCounter), el('button', { type: 'submit', text: t('admin.save') }));
    detail.replaceChildren(section(t('admin.cases.editTitle', { name: c.name }), form));
    detail.querySelector('h3').setAttribute('tabindex', '-1');
    detail.querySelector('h3').focus();
  }

  function actions(c) {
    const named = { name: c.name };
    return el('span', { class: 'actions' },
      c.status === 'closed' ? null : el('button', { type: 'button', text: t('admin.edit'), 'aria-label': t('admin.editOf', named), onclick: () => edit(c) }),
      c.status === 'draft' ? el('button', { type: 'button', class: 'approve', text: t('admin.cases.activate'),
        'aria-label': t('admin.cases.activateOf', named), onclick: () => setStatus(c, 'active') }) : null,
      c.status === 'closed' ? null : el('button', { type: 'button', class: 'lift', text: t('admin.cases.close'),
        'aria-label': t('admin.cases.closeOf', named), onclick: () => setStatus(c, 'closed') }));
  }

  async function load() {
    try {
      const [all, entities, campaigns] = await Promise.all([caseService('/api/v1/cases'), caseService('/api/v1/entities'),
        campaignPick.options.length ? null : caseService('/api/v1/campaigns')]);
      entityNames = Object.fromEntries(entities.map((x) => [x.entityId, x.name]));
      if (campaigns) {
        campaignPick.replaceChildren(...campaigns.map((c) => el('option', { value: c.campaignId,
          text: c.current ? t('header.campaignCurrent', { name: c.name }) : c.name })));
        const currentOne = campaigns.find((c) => c.current);
        if (currentOne) { campaignPick.value = currentOne.campaignId; }
        local.replaceChildren(...entities.map((x) => el('option', { value: x.entityId, text: x.name })));
      }
      cases = all.filter((c) => c.campaignId === campaignPick.value);
      table.fill(cases.map((c) => [c.name, c.caseId,
        { text: c.scope === 'local' ? t('admin.cases.localOf', { entity: entityNames[c.localEntityId] || c.localEntityId })
          : t('admin.cases.global'), value: c.scope },
        { text: term('caseStatus', c.status), value: c.status }, c.targetAuthority || '', c.goal,
        { text: c.publicCounter ? t('admin.yes') : t('admin.no'), value: c.publicCounter },
        { node: actions(c), value: '' }]));
    } catch (e) { status.failed(t('admin.cannotRead', { reason: explain(e) })); }
  }
  campaignPick.addEventListener('change', () => { detail.replaceChildren(); load(); });
  load();
  return () => {};
}
