// Coordinators: bulk invalidation (petition-service). Select accepted signatures, online actions and messages of the campaign
// shown, preview how many per case and entity, confirm with a reason; the invalidation is refused if the selection no
// longer holds what the preview showed. Past invalidations are listed with their reversal. Opened from the Anomalies
// page (#/invalidations/<query>), the selection comes filled in with what trended and is previewed at once.
import { el, dataTable, section, message } from '../dom.js';
import { t, term, date } from '../i18n.js';
import { petitionService, uncertain } from '../api.js';
import { caseName, entityName, campaign } from '../model.js';
import { oneAtATime } from '../admin.js';

const TYPES = ['signature', 'message', 'letter', 'email', 'tweet', 'sms', 'postcard', 'drawing', 'audio', 'other'];
const field = (label, input) => el('div', { class: 'field' }, el('label', { htmlFor: input.id, text: label }), input);
// the inputs are read as UTC, to the second when one was given (a window from the Anomalies page)
const utc = (value) => (value ? new Date(value + (value.length > 16 ? 'Z' : ':00Z')).toISOString() : null);
// an instant as the inputs show it, to the second: an end rounded up, so what was accepted in its last second stays in
// (a batch accepted in the same second as the Anomalies page's scan was left out of the preview: "0 actions")
const local = (iso, end) => new Date(Math.ceil(new Date(iso).getTime() / (end ? 1000 : 1)) * (end ? 1000 : 1))
  .toISOString().slice(0, 19);

/**
 * An invalidation or a reversal from its button: {@code send} the write, {@code reload} the list of invalidations,
 * {@code say(outcome, answerOrError)} with outcome 'done', 'refused' or 'unknown'. One at a time (the buttons disabled
 * meanwhile): a second press went out while the first was on its way, was refused 409 (the selection no longer held
 * what was previewed, or already reversed) and said "not invalidated" over the first one's "done". A 409 or an unknown
 * outcome is said only once the list is read again, so the list shows what was done before the words about it.
 */
export function settled({ send, reload, say, buttons, after }) {
  return oneAtATime(async (...args) => {
    let answer;
    try { answer = await send(...args); } catch (e) {
      const unknown = uncertain(e);
      if (unknown || e.status === 409) { await reload(); }
      say(unknown ? 'unknown' : 'refused', e);
      return;
    }
    say('done', answer);
    await reload();
  }, buttons, after);
}

export function render(view, prefill) {
  const status = el('p', { id: 'inv-status', class: 'note', 'aria-live': 'polite' });
  const caseSelect = el('select', { id: 'inv-case' });
  const entitySelect = el('select', { id: 'inv-entity' });
  const from = el('input', { id: 'inv-from', type: 'datetime-local', step: 1 });
  const to = el('input', { id: 'inv-to', type: 'datetime-local', step: 1 });
  const domain = el('input', { id: 'inv-domain', type: 'text', maxLength: 253, autocomplete: 'off' });
  // a trending domain, as the Anomalies page lists it: its keyed hash (the domain itself is never kept in clear)
  let domainHash = null;
  const hashNote = el('p', { id: 'inv-domain-hash', class: 'note', hidden: true });
  const country = el('input', { id: 'inv-country', type: 'text', maxLength: 2, size: 3, autocomplete: 'off' });
  const type = el('select', { id: 'inv-type' }, el('option', { value: '', text: t('invalidations.anyType') }),
    TYPES.map((x) => el('option', { value: x, text: term('type', x) })));
  const selectForm = el('form', { id: 'inv-select', class: 'form', onsubmit: (e) => { e.preventDefault(); preview(); } },
    field(t('col.case'), caseSelect), field(t('col.entity'), entitySelect), field(t('invalidations.from'), from),
    field(t('invalidations.before'), to), field(t('invalidations.domain'), domain), hashNote,
    field(t('invalidations.country'), country),
    field(t('col.type'), type), el('button', { id: 'inv-preview', type: 'submit', text: t('invalidations.preview') }));

  const total = el('p', { id: 'inv-total', class: 'note', 'aria-live': 'polite' });
  const previewTable = dataTable({ id: 'inv-preview-table', caption: t('invalidations.previewCaption'),
    filename: 'invalidation-preview', columns: [t('col.case'), t('col.entity'), t('col.actions')], numeric: [2] });
  const reason = el('input', { id: 'inv-reason', type: 'text', maxLength: 1000, required: true, autocomplete: 'off' });
  const confirm = el('button', { id: 'inv-confirm', type: 'submit', text: t('invalidations.invalidate'), disabled: true });
  const confirmForm = el('form', { id: 'inv-confirm-form', class: 'inline', onsubmit: (e) => { e.preventDefault(); confirmed(); } },
    el('label', { htmlFor: reason.id, text: t('form.reason') }), reason, confirm);
  const confirmed = () => { if (previewed && reason.value.trim()) { invalidate(); } };

  const past = dataTable({ id: 'invalidations-table', caption: t('invalidations.past'), filename: 'invalidations',
    columns: [t('col.when'), t('col.selection'), t('col.actions'), t('form.reason'), t('col.by'), t('col.reversed'),
      t('col.action')], numeric: [2] });

  view.append(el('h2', { tabindex: '-1', text: t('nav.invalidations') }), status,
    section(t('invalidations.select'), el('p', { class: 'note', text: t('invalidations.help') }), selectForm),
    section(t('invalidations.preview'), total, previewTable.node, confirmForm),
    section(t('invalidations.past'), past.node));

  let previewed = null; // {selection, actions}: what Confirm sends, exactly as previewed

  function selection(info) {
    const s = { campaignId: info.campaign.campaignId };
    if (caseSelect.value) { s.caseId = caseSelect.value; }
    if (entitySelect.value) { s.entityId = entitySelect.value; }
    if (from.value) { s.from = utc(from.value); }
    if (to.value) { s.to = utc(to.value); }
    if (domainHash) { s.emailDomainHash = domainHash; } else if (domain.value.trim()) { s.emailDomain = domain.value.trim(); }
    if (country.value.trim()) { s.country = country.value.trim(); }
    if (type.value) { s.type = type.value; }
    return s;
  }

  function forget() {
    previewed = null;
    confirm.disabled = true;
    confirm.textContent = t('invalidations.invalidate');
  }
  [caseSelect, entitySelect, from, to, domain, country, type].forEach((input) => input.addEventListener('input', forget));

  async function preview() {
    forget();
    try {
      const s = selection(await campaign());
      const answer = await petitionService('/api/v1/invalidations/preview', { method: 'POST', body: s });
      previewTable.fill(answer.byCaseAndEntity.map((c) => [c.caseId ? caseName(c.caseId) : t('case.none'),
        entityName(c.entityId), c.actions]));
      total.textContent = answer.actions > answer.maxActions
        ? t('invalidations.tooMany', { count: answer.actions, max: answer.maxActions })
        : t('invalidations.selected', { count: answer.actions });
      if (answer.actions > 0 && answer.actions <= answer.maxActions) {
        previewed = { selection: s, actions: answer.actions };
        confirm.disabled = false;
        confirm.textContent = t('invalidations.invalidateCount', { count: answer.actions });
      }
    } catch (e) { total.replaceChildren(message(t('invalidations.cannotPreview', { reason: e.message }), 'error')); }
  }

  const invalidate = settled({
    send: async () => {
      const sent = previewed;
      const done = await petitionService('/api/v1/invalidations', { method: 'POST',
        body: { selection: sent.selection, reason: reason.value.trim(), expectedActions: sent.actions } });
      reason.value = '';
      forget();
      previewTable.fill([]);
      total.textContent = '';
      return done;
    },
    reload: () => load(),
    say: (outcome, x) => {
      if (outcome === 'done') { status.textContent = t('invalidations.done', { count: x.actions }); return; }
      // 409: the selection changed since the preview; the coordinator previews again and decides on the new number
      // (after an unknown outcome too: the preview then shows whether the actions are still counted)
      if (outcome === 'unknown' || x.status === 409) { forget(); }
      status.textContent = outcome === 'unknown' ? t('invalidations.maybeDone') : t('invalidations.notDone', { reason: x.message });
    },
    buttons: [confirm],
    after: () => { confirm.disabled = !previewed; },
  });

  const reverse = settled({
    send: (i) => petitionService('/api/v1/invalidations/' + encodeURIComponent(i.invalidationId) + '/reversal', { method: 'POST' })
      .then(() => i),
    reload: () => load(),
    say: (outcome, x) => {
      status.textContent = outcome === 'done' ? t('invalidations.reversed', { count: x.actions })
        : outcome === 'unknown' ? t('invalidations.maybeReversed') : t('invalidations.notReversed', { reason: x.message });
    },
    buttons: () => [...past.node.querySelectorAll('button.reverse')],
  });

  function describe(s) {
    return [s.caseId && t('selection.case', { name: caseName(s.caseId) }),
      s.entityId && t('selection.entity', { name: entityName(s.entityId) }),
      s.from && t('selection.from', { at: date(s.from) }), s.to && t('selection.before', { at: date(s.to) }),
      s.emailDomain && t('selection.domain', { domain: s.emailDomain }),
      s.emailDomainHash && t('anomalies.domainHash', { hash: s.emailDomainHash.slice(0, 12) }),
      s.country && t('selection.country', { country: s.country }), s.type && t('selection.type', { type: term('type', s.type) })]
      .filter(Boolean).join(t('list.separator'));
  }

  async function load() {
    try {
      const list = await petitionService('/api/v1/invalidations');
      past.fill(list.map((i) => [date(i.createdAt), describe(i.selection), i.actions, i.reason, i.createdBy,
        i.reversedAt ? t('invalidations.reversedBy', { at: date(i.reversedAt), by: i.reversedBy }) : '',
        i.reversedAt ? '' : { node: el('button', { type: 'button', class: 'reverse', text: t('invalidations.reverse'),
          'aria-label': t('invalidations.reverseLabel', { count: i.actions, at: date(i.createdAt) }),
          'data-invalidation': i.invalidationId, onclick: () => reverse(i) }), value: '' }]));
    } catch (e) { status.replaceChildren(message(t('invalidations.cannotRead', { reason: e.message }), 'error')); }
  }

  async function choices() {
    try {
      const info = await campaign();
      caseSelect.replaceChildren(el('option', { value: '', text: t('invalidations.anyCase') }),
        ...info.cases.map((c) => el('option', { value: c.caseId, text: c.name || c.caseId })));
      entitySelect.replaceChildren(el('option', { value: '', text: t('invalidations.anyEntity') }),
        ...Object.keys(info.entityNames || {}).sort().map((id) => el('option', { value: id, text: entityName(id) })));
    } catch (e) { status.replaceChildren(message(t('error.cannotReadCases', { reason: e.message }), 'error')); }
  }
  function useHash(hash) {
    domainHash = hash;
    domain.disabled = Boolean(hash);
    hashNote.hidden = !hash;
    hashNote.replaceChildren(...(hash ? [t('invalidations.hashNote', { hash: hash.slice(0, 12) }), ' ',
      el('button', { type: 'button', id: 'inv-domain-hash-clear', text: t('invalidations.byDomain'),
      onclick: () => { useHash(null); forget(); } })] : []));
  }

  /** What the Anomalies page sent: the value that trended and its window; previewed at once. */
  async function fill(query) {
    const p = new URLSearchParams(query);
    if (p.get('from')) { from.value = local(p.get('from')); }
    if (p.get('to')) { to.value = local(p.get('to'), true); }
    if (p.get('entityId')) {
      if (![...entitySelect.options].some((o) => o.value === p.get('entityId'))) {
        entitySelect.append(el('option', { value: p.get('entityId'), text: p.get('entityId') })); // never "any entity"
      }
      entitySelect.value = p.get('entityId');
    }
    if (p.get('country')) { country.value = p.get('country'); }
    if (/^[0-9a-f]{64}$/.test(p.get('emailDomainHash') || '')) { useHash(p.get('emailDomainHash')); }
    await preview();
  }

  choices().then(() => (prefill ? fill(prefill) : null));
  load();
  return () => {};
}
