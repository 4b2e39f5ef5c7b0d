// Delivery teams: plan from the case (the recipient suggested from its target authority), preview the counts a
// handover would freeze and what its pack will hold, record the handover with evidence links and their SHA-256, and
// read why a held case cannot be planned (delivery-service's refusal, in words).
import { el, dataTable, section, message, download } from '../dom.js';
import { t, term, date, fmt } from '../i18n.js';
import { deliveryService, serviceUrls, fetchFile, uncertain, problemType } from '../api.js';
import { caseName, entityName, campaign } from '../model.js';
import { field, explain, statusLine, oneAtATime } from '../admin.js';

const DIGEST = /^[0-9a-f]{64}$/;

/** Evidence as stored: the link, its SHA-256 in the fragment (never sent to the link's server), so the two travel together. */
export const withDigest = (url, sha256) => (sha256 ? url + (url.includes('#') ? '&' : '#') + 'sha256=' + sha256 : url);
export function splitDigest(link) {
  const m = /^(.*)[#&]sha256=([0-9a-f]{64})$/.exec(link);
  return m ? { url: m[1], sha256: m[2] } : { url: link, sha256: null };
}

// a datetime-local field's value (to the minute, or the second) read as UTC, as the page labels it
const utc = (value) => new Date(value + (value.length === 16 ? ':00Z' : 'Z'));

async function sha256Of(file) {
  const bytes = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Records a handover: {@code send} posts it, {@code read} reads the delivery. A 503 is sent again (delivery-service
 * catching up with the counts or the holds, or its database briefly away: nothing recorded), at most five times,
 * waiting longer each time. Except when the handover may be recorded after all, and the delivery is read first, and
 * if it is delivered that is the answer: "outcome unknown" (the connection broke during the commit), no answer at all
 * (a network error), and 409 not-planned (this handover recorded by a press before, or one of those). Until a
 * read-only review of 6 December 2026 it was sent again blind, refused 409 not-planned, and the page said "not
 * recorded" for a handover that was, inviting a team to redo it; a later one found the same said after a double press.
 */
export async function recordHandover(send, read, { onWait = () => {}, pause = (ms) => new Promise((r) => setTimeout(r, ms)) } = {}) {
  // the delivery if it is delivered; else the refusal stands (cannot tell: say what the service said)
  const delivered = async (e) => {
    let delivery;
    try { delivery = await read(); } catch (unread) { throw e; }
    if (delivery && delivery.status === 'delivered') { return delivery; }
    return null;
  };
  for (let attempt = 1; ; attempt++) {
    try { return await send(); } catch (e) {
      if (uncertain(e) || (e.status === 409 && problemType(e) === 'not-planned')) {
        const delivery = await delivered(e);
        if (delivery) { return delivery; }
      }
      // read back before the last try's refusal too: the last one may be the one that was recorded
      if (e.status !== 503 || attempt >= 5) { throw e; }
      onWait();
      await pause(1000 * attempt);
    }
  }
}

export function render(view) {
  const status = statusLine('deliveries-status');
  const table = dataTable({ id: 'deliveries-table', caption: t('deliveries.caption'), filename: 'deliveries',
    columns: [t('col.plannedFor'), t('col.case'), t('col.kind'), t('col.recipient'), t('col.place'), t('col.entity'),
      t('col.status'), t('col.handover'), t('col.action')] });
  const casesTable = dataTable({ id: 'plan-cases', caption: t('plan.casesCaption'), filename: 'cases-to-plan',
    columns: [t('col.case'), t('plan.target'), t('col.country'), t('col.hold'), t('col.action')] });
  const caseSelect = el('select', { id: 'plan-case', required: true });
  const holdNote = el('p', { id: 'plan-hold-note', class: 'note error', 'aria-live': 'polite' });
  const kind = el('select', { id: 'plan-kind' }, ['petition', 'solidarity'].map((k) => el('option', { value: k, text: term('kind', k) })));
  const recipientKind = el('select', { id: 'plan-recipient-kind' },
    ['target-authority', 'embassy', 'rights-holder', 'family', 'other'].map((k) => el('option', { value: k, text: term('recipient', k) })));
  const recipientName = el('input', { id: 'plan-recipient-name', type: 'text', required: true, maxLength: 200 });
  const city = el('input', { id: 'plan-city', type: 'text' });
  const country = el('input', { id: 'plan-country', type: 'text', maxLength: 2, size: 3 });
  const when = el('input', { id: 'plan-when', type: 'date', required: true });
  const form = el('form', { id: 'plan-form', class: 'form', onsubmit: (e) => { e.preventDefault(); plan(); } },
    field(t('col.case'), caseSelect), field(t('col.kind'), kind), field(t('deliveries.recipientKind'), recipientKind),
    field(t('deliveries.recipientName'), recipientName), field(t('deliveries.city'), city), field(t('form.countryCode'), country),
    field(t('col.plannedFor'), when),
    el('button', { type: 'submit', text: t('deliveries.plan') }));
  const panel = el('div', { id: 'handover-panel' });
  view.append(el('h2', { tabindex: '-1', text: t('deliveries.title') }), status.node,
    section(t('plan.fromCase'), el('p', { class: 'note', text: t('plan.fromCaseHelp') }), casesTable.node),
    section(t('deliveries.planTitle'), form, holdNote), panel, section(t('deliveries.caption'), table.node));

  let cases = [];
  let suggested = '';

  function choose(caseId) {
    const c = cases.find((x) => x.caseId === caseId);
    holdNote.textContent = c && c.hold ? t('plan.heldNote', { name: c.name || c.caseId, since: date(c.hold.placedAt) }) : '';
    if (!c) { return; }
    // the recipient suggested from the case's target authority, unless someone typed another
    if (c.targetAuthority && (!recipientName.value || recipientName.value === suggested)) {
      recipientName.value = c.targetAuthority;
      suggested = c.targetAuthority;
      recipientKind.value = 'target-authority';
      if (c.country && !country.value) { country.value = c.country; }
    }
  }
  caseSelect.addEventListener('change', () => choose(caseSelect.value));

  // a plan sent again is a second plan (delivery-service takes no Idempotency-Key): one at a time, and after an
  // unknown outcome the list is read before anyone plans it again
  const plan = oneAtATime(async () => {
    try {
      await deliveryService('/api/v1/deliveries', { method: 'POST', body: { caseId: caseSelect.value, kind: kind.value,
        recipient: { kind: recipientKind.value, name: recipientName.value },
        place: city.value || country.value ? { city: city.value || null, country: country.value.toUpperCase() || null } : null,
        plannedFor: when.value + 'T10:00:00Z' } });
      status.done(t('deliveries.planned'));
      form.reset();
      suggested = '';
      holdNote.textContent = '';
      await load();
    } catch (e) {
      if (!uncertain(e)) { status.failed(t('deliveries.notPlanned', { reason: explain(e) })); return; }
      await load();
      status.failed(t('deliveries.maybePlanned'));
    }
  }, () => [form.querySelector('button[type=submit]')]);

  async function handover(d, body) {
    try {
      await recordHandover(() => deliveryService('/api/v1/deliveries/' + d.id + '/handover', { method: 'POST', body }),
        () => deliveryService('/api/v1/deliveries/' + d.id), { onWait: () => status.done(t('deliveries.waiting')) });
      status.done(t('deliveries.recorded'));
      panel.replaceChildren();
      await load();
    } catch (e) { status.failed(t('deliveries.notRecorded', { reason: explain(e) })); }
  }

  // The pack as delivery-service serves it (a PDF, with its SHA-256 in a header): fetched with the token, then saved.
  async function pack(d, out) {
    try {
      const file = await fetchFile((await serviceUrls()).deliveryService + '/api/v1/deliveries/' + d.id + '/pack');
      const sha = file.headers.get('X-Pack-SHA256');
      download('pack-' + d.caseId + '.pdf', file.blob, 'application/pdf');
      out.textContent = sha ? t('plan.packDigest', { sha256: sha }) : '';
    } catch (e) { out.textContent = t('plan.packRefused', { reason: explain(e) }); }
  }

  // The pack this handover would give, as a PDF marked as a preview: nothing is recorded (delivery-service's audit
  // trail notes who looked, as the preview names the same signers).
  async function packPreview(d, until, out) {
    try {
      const file = await fetchFile((await serviceUrls()).deliveryService + '/api/v1/deliveries/' + d.id + '/pack-preview?until='
        + encodeURIComponent(until));
      download('pack-preview-' + d.caseId + '.pdf', file.blob, 'application/pdf');
      out.textContent = t('plan.packPreviewDone', { sha256: file.headers.get('X-Pack-SHA256') || '' });
    } catch (e) { out.textContent = t('plan.packRefused', { reason: explain(e) }); }
  }

  const countsTable = (id, caption, first, map, name) => {
    const tb = dataTable({ id, caption, filename: id, numeric: [1], columns: [first, t('plan.actions')] });
    tb.fill(Object.entries(map || {}).sort((a, b) => b[1] - a[1]).map(([k, v]) => [name(k), v]));
    return tb.node;
  };

  // Before recording: the counts a handover at this cut-off would freeze, what the pack will hold, and the form.
  function preview(d, held) {
    const now = new Date().toISOString().slice(0, 19);
    const cutoff = el('input', { id: 'handover-cutoff', type: 'datetime-local', required: true, value: now, max: now, step: 1 });
    const counts = el('div', { id: 'handover-counts', 'aria-live': 'polite' });
    const previewOut = el('span', { id: 'pack-preview-note', 'aria-live': 'polite' });
    const by = el('input', { id: 'handover-by', type: 'text', required: true, maxLength: 200 });
    const notes = el('input', { id: 'handover-notes', type: 'text', maxLength: 2000 });
    const evidence = el('ol', { id: 'handover-evidence', class: 'evidence' });
    const addLink = () => {
      const n = evidence.children.length + 1;
      const url = el('input', { id: 'evidence-url-' + n, type: 'url', maxLength: 1900 });
      const digest = el('input', { id: 'evidence-sha-' + n, type: 'text', maxLength: 64, size: 66, pattern: '[0-9a-f]{64}', class: 'mono' });
      const fileInput = el('input', { id: 'evidence-file-' + n, type: 'file' });
      fileInput.addEventListener('change', async () => { if (fileInput.files.length) { digest.value = await sha256Of(fileInput.files[0]); } });
      evidence.append(el('li', { class: 'form' }, field(t('plan.evidenceLink'), url), field(t('plan.evidenceSha'), digest),
        field(t('plan.evidenceFile'), fileInput)));
    };
    addLink();
    // one press, one handover: a second one on its way was refused (409) and said "not recorded" over the first
    const recordOnce = oneAtATime((sent) => handover(d, sent), () => [record.querySelector('button[type=submit]')]);
    const record = el('form', { id: 'handover-form', class: 'form', onsubmit: (e) => {
      e.preventDefault();
      const links = [...evidence.children].map((li) => li.querySelectorAll('input'))
        .filter(([u]) => u.value.trim()).map(([u, s]) => ({ url: u.value.trim(), sha256: s.value.trim().toLowerCase() }));
      const bad = links.find((l) => l.sha256 && !DIGEST.test(l.sha256));
      if (bad) { status.failed(t('plan.badDigest', { url: bad.url })); return; }
      const at = utc(cutoff.value);
      recordOnce({ deliveredAt: new Date().toISOString(), cutoff: at.toISOString(), deliveredBy: by.value,
        notes: notes.value || null, evidence: links.map((l) => withDigest(l.url, l.sha256)) });
    } }, field(t('plan.cutoff'), cutoff), field(t('deliveries.deliveredBy'), by), field(t('plan.notes'), notes),
    el('button', { type: 'submit', text: t('deliveries.record'), disabled: held }));

    async function show() {
      if (!cutoff.value) { return; }
      const until = utc(cutoff.value).toISOString();
      try {
        const q = '?until=' + encodeURIComponent(until) + '&kind=' + d.kind + (d.entityId ? '&entityId=' + encodeURIComponent(d.entityId) : '');
        const c = await deliveryService('/api/v1/cases/' + encodeURIComponent(d.caseId) + '/counts' + q);
        const info = cases.find((x) => x.caseId === d.caseId) || {};
        counts.replaceChildren(
          el('p', { class: 'headline' }, el('span', { class: 'big', id: 'handover-total', text: fmt(c.total) }), ' ',
            t('plan.frozenAt', { count: c.total, at: date(until) })),
          el('div', { class: 'grid' }, countsTable('handover-by-entity', t('plan.byEntity'), t('col.entity'), c.byEntity, entityName),
            countsTable('handover-by-type', t('plan.byType'), t('col.type'), c.byType, (k) => term('type', k))),
          el('h4', { text: t('plan.packTitle') }),
          el('ul', { id: 'pack-contents' },
            el('li', { text: t('plan.packCover', { case: info.name || d.caseId, target: info.targetAuthority || t('plan.noTarget'),
              recipient: d.recipient ? d.recipient.name : '' }) }),
            el('li', { text: t('plan.packTotal', { count: c.total, at: date(until) }) }),
            el('li', { text: t('plan.packBreakdown') }),
            el('li', { text: d.kind === 'solidarity' ? t('plan.packMessages') : t('plan.packSigners') }),
            el('li', { text: t('plan.packDigestNote') })),
          el('p', {}, el('button', { type: 'button', id: 'pack-preview', text: t('plan.packPreview'),
            onclick: () => packPreview(d, until, previewOut) }), ' ', previewOut));
      } catch (e) { counts.replaceChildren(message(t('plan.cannotCount', { reason: explain(e) }), 'error')); }
    }
    cutoff.addEventListener('change', show);
    // the evidence before the form's button: what is recorded is read from both when it is pressed
    panel.replaceChildren(section(t('plan.previewTitle', { case: caseName(d.caseId), recipient: d.recipient ? d.recipient.name : '' }),
      held ? message(t('plan.heldNote', { name: caseName(d.caseId), since: date(held.placedAt) }), 'error') : '',
      el('p', { class: 'note', text: t('plan.previewHelp') }), counts,
      el('h4', { text: t('plan.evidenceTitle') }), el('p', { class: 'note', text: t('plan.evidenceHelp') }), evidence,
      el('p', {}, el('button', { type: 'button', id: 'evidence-more', text: t('plan.evidenceMore'), onclick: addLink })), record));
    panel.querySelector('h3').setAttribute('tabindex', '-1');
    panel.querySelector('h3').focus();
    show();
  }

  function action(d, holds) {
    const held = holds.get(d.caseId);
    if (d.status === 'delivered') {
      const out = el('span', { class: 'note mono' });
      return { node: el('span', { class: 'actions' }, el('button', { type: 'button', text: t('plan.pack'),
        'aria-label': t('plan.packOf', { case: caseName(d.caseId) }), onclick: () => pack(d, out) }), out), value: '' };
    }
    if (d.status !== 'planned') { return ''; }
    const previewButton = el('button', { type: 'button', class: 'preview', text: t('plan.preview'),
      'aria-label': t('plan.previewOf', { case: caseName(d.caseId), recipient: d.recipient ? d.recipient.name : '' }),
      onclick: () => preview(d, held) });
    if (held) { return { node: el('span', { class: 'actions' }, el('span', { class: 'badge hold', text: t('deliveries.caseHeld') }), previewButton), value: '' }; }
    const by = el('input', { id: 'by-' + d.id, type: 'text', required: true, maxLength: 200 });
    const submit = el('button', { type: 'submit', text: t('deliveries.record') });
    const recordOnce = oneAtATime((sent) => handover(d, sent), [submit]);
    return { node: el('span', { class: 'actions' }, el('form', { class: 'inline', onsubmit: (e) => { e.preventDefault();
      recordOnce({ deliveredAt: new Date().toISOString(), deliveredBy: by.value }); } },
    el('label', { htmlFor: by.id, text: t('deliveries.deliveredBy') }), by, submit), previewButton), value: '' };
  }

  // A pack copy or a preview saved before an erasure of the case's signers holds their names: delivery-service marks
  // it, and the team that keeps the copies must see it here (until 6 December 2026 only the API said so).
  function erasureNotes(d) {
    const e = d.handover && d.handover.erasure;
    const p = d.previewErasure;
    return [
      e ? el('p', { class: 'note error', text: t(e.newPackIssued ? 'deliveries.destroyPackNewIssued' : 'deliveries.destroyPack',
        { before: date(e.destroyCopiesIssuedBefore, true) }) }) : null,
      p ? el('p', { class: 'note error', text: t('deliveries.destroyPreviews', { before: date(p.destroyPreviewsTakenBefore, true) }) }) : null,
    ].filter(Boolean);
  }

  function evidenceList(h) {
    if (!h || !h.evidence || !h.evidence.length) { return null; }
    return el('ul', { class: 'evidence' }, h.evidence.map((link) => {
      const { url, sha256 } = splitDigest(link);
      return el('li', {}, el('a', { href: url, rel: 'noreferrer', text: url }),
        sha256 ? el('span', { class: 'mono', text: ' ' + t('plan.sha', { sha256 }) }) : null);
    }));
  }

  async function load() {
    try {
      const [all, deliveries, info] = await Promise.all([deliveryService('/api/v1/cases'),
        deliveryService('/api/v1/deliveries'), campaign()]);
      const holds = new Map(all.filter((c) => c.hold).map((c) => [c.caseId, c.hold]));
      // plans are for the campaign shown (delivery-service knows every campaign's cases)
      cases = all.filter((c) => c.campaignId === info.campaign.campaignId);
      const chosen = caseSelect.value;
      // a held case stays in the list, named as held: choosing it says why it cannot be planned
      caseSelect.replaceChildren(...cases.map((c) => el('option', { value: c.caseId,
        text: c.hold ? t('deliveries.optionHeld', { name: c.name || c.caseId }) : c.name || c.caseId })));
      if (chosen) { caseSelect.value = chosen; }
      casesTable.fill(cases.map((c) => [c.name || c.caseId, c.targetAuthority || '', c.country || '',
        c.hold ? { node: el('span', { class: 'badge hold', text: t('holds.heldSince', { since: date(c.hold.placedAt) }) }), value: c.hold.placedAt } : '',
        { value: '', node: el('button', { type: 'button', text: t('plan.planThis'), 'aria-label': t('plan.planThisOf', { case: c.name || c.caseId }),
          onclick: () => { caseSelect.value = c.caseId; choose(c.caseId); (c.hold ? caseSelect : recipientName).focus(); } }) }]));
      table.fill(deliveries.map((d) => [date(d.plannedFor), caseName(d.caseId), term('kind', d.kind),
        d.recipient ? t('deliveries.recipient', { kind: term('recipient', d.recipient.kind), name: d.recipient.name }) : '',
        d.place ? [d.place.city, d.place.country].filter(Boolean).join(t('list.separator')) : '',
        d.entityId ? entityName(d.entityId) : t('deliveries.allEntities'),
        term('status', d.status),
        d.handover ? { value: d.handover.total, node: el('div', {},
          t('deliveries.handedOver', { at: date(d.handover.deliveredAt), count: d.handover.total }), evidenceList(d.handover),
          ...erasureNotes(d)) }
          : d.previewErasure ? { value: '', node: el('div', {}, ...erasureNotes(d)) } : '',
        action(d, holds)]));
    } catch (e) { status.failed(t('deliveries.cannotRead', { reason: explain(e) })); }
  }
  load();
  return () => {};
}
