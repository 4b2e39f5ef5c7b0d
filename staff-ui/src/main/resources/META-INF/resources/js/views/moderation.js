// Moderators: the queue of pending solidarity messages (petition-service) of the campaign the picker shows, filtered by
// case, entity, language and age, a page at a time; reviewed from the keyboard (j/k, a, r + a preset reason) or a whole
// page at once after a confirmation. Messages are people's own words: shown with textContent only, so markup in them is
// just text.
import { el, dataTable, section, message } from '../dom.js';
import { t, date, current } from '../i18n.js';
import { petitionService, uncertain, problemType } from '../api.js';
import { caseName, entityName, campaign } from '../model.js';

const PAGE_SIZES = [50, 100, 200, 500]; // 500: the most one bulk decision takes
const AGES = [1, 6, 24, 72]; // hours
// preset reasons, in the moderator's language; abuse and spam are not actions, so they also leave the counts
const REASONS = [
  { key: 'queue.reasonOffTopic', abuse: false },
  { key: 'queue.reasonAbusive', abuse: true },
  { key: 'queue.reasonPersonal', abuse: false },
  { key: 'queue.reasonSpam', abuse: true },
];
const field = (label, input) => el('div', { class: 'field' }, el('label', { htmlFor: input.id, text: label }), input);
const typing = (target) => target && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));

/**
 * One decision on one message ({@code send} posts it). Resolves {outcome: 'decided'} when it is taken, {outcome:
 * 'reviewed', reviewStatus, error} when the message was reviewed before (by someone else, or as something else), or
 * {outcome: 'unknown', error} when that cannot be told; any other refusal is thrown. The decision takes no
 * Idempotency-Key but is taken once: after an answer that left the outcome unknown it is sent once more, and a
 * decision that was stored answers 409 already-reviewed naming the status it left, which is this decision's when it
 * was this one. Until a read-only review the page said "Not saved" for a decision that was, and kept it in the list.
 */
export async function decideOnce(send, decision) {
  const wanted = decision === 'approve' ? 'approved' : 'rejected';
  const reviewed = (e) => (e.status === 409 && problemType(e) === 'already-reviewed' ? e.problem.reviewStatus || '?' : null);
  let first;
  try { await send(); return { outcome: 'decided' }; } catch (e) { first = e; }
  if (reviewed(first)) { return { outcome: 'reviewed', reviewStatus: reviewed(first), error: first }; }
  if (!uncertain(first)) { throw first; }
  try { await send(); return { outcome: 'decided' }; } catch (again) {
    if (reviewed(again) === wanted) { return { outcome: 'decided' }; }
    if (reviewed(again)) { return { outcome: 'reviewed', reviewStatus: reviewed(again), error: again }; }
    return { outcome: 'unknown', error: again };
  }
}

/** A duration as the browser's locale data writes it ("3 hours", "3 heures"): minutes, hours or days. */
function age(seconds) {
  const [unit, value] = seconds < 3600 ? ['minute', Math.floor(seconds / 60)]
    : seconds < 172800 ? ['hour', Math.floor(seconds / 3600)] : ['day', Math.floor(seconds / 86400)];
  return new Intl.NumberFormat(current(), { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

export function render(view) {
  const status = el('p', { class: 'note', 'aria-live': 'polite' });
  const feedback = el('p', { id: 'queue-feedback', class: 'note', role: 'status' }); // what the last decision did
  const oldest = el('p', { id: 'queue-oldest', class: 'note' });
  const caseSelect = el('select', { id: 'queue-case' });
  const entitySelect = el('select', { id: 'queue-entity' });
  const languageSelect = el('select', { id: 'queue-language' });
  const ageSelect = el('select', { id: 'queue-age' }, el('option', { value: '', text: t('queue.anyAge') }),
    AGES.map((h) => el('option', { value: String(h), text: t('queue.olderThan', { age: age(h * 3600) }) })));
  const sizeSelect = el('select', { id: 'queue-size' }, PAGE_SIZES.map((n) => el('option', { value: String(n), text: n })));
  sizeSelect.value = '100';
  const filters = el('form', { id: 'queue-filters', class: 'form', onsubmit: (e) => { e.preventDefault(); first(); } },
    field(t('col.case'), caseSelect), field(t('col.entity'), entitySelect), field(t('col.language'), languageSelect),
    field(t('queue.age'), ageSelect), field(t('queue.perPage'), sizeSelect));
  [caseSelect, entitySelect, languageSelect, ageSelect, sizeSelect].forEach((s) => s.addEventListener('change', first));

  const byCase = dataTable({ id: 'queue-cases', caption: t('queue.byCaseCaption'), filename: 'moderation-waiting',
    columns: [t('col.case'), t('queue.waitingCol'), t('queue.oldestCol'), t('queue.age')], numeric: [1] });

  const list = el('ol', { id: 'moderation-queue', class: 'queue' });
  const approveAll = el('button', { type: 'button', id: 'queue-approve-all', class: 'approve', disabled: true,
    onclick: () => confirmBulk(true) });
  const rejectAll = el('button', { type: 'button', id: 'queue-reject-all', class: 'reject', disabled: true,
    onclick: () => confirmBulk(false) });
  const nextPage = el('button', { type: 'button', id: 'queue-next', text: t('queue.nextPage'), disabled: true,
    onclick: () => { pages.push(last); loadPage(); } });
  const firstPage = el('button', { type: 'button', id: 'queue-first', text: t('queue.firstPage'), disabled: true, onclick: first });
  const table = dataTable({ id: 'moderation-table', caption: t('moderation.pending'), filename: 'moderation-queue',
    columns: [t('col.received'), t('col.case'), t('col.entity'), t('col.author'), t('col.country'), t('col.language'),
      t('col.text')] });

  // the reject dialog: a preset reason (1 to 4 choose and reject at once), for one message or the page
  const reasonChoices = REASONS.map((r, i) => el('input', { type: 'radio', name: 'queue-reason', id: 'queue-reason-' + (i + 1),
    value: String(i) }));
  reasonChoices[0].checked = true;
  const abuse = el('input', { type: 'checkbox', id: 'queue-abuse' });
  reasonChoices.forEach((c) => c.addEventListener('change', () => { abuse.checked = REASONS[Number(c.value)].abuse; }));
  const rejectTitle = el('h3', { id: 'queue-reject-title' });
  const rejectButton = el('button', { type: 'submit', id: 'queue-reject-confirm', class: 'reject', text: t('moderation.reject') });
  const rejectDialog = el('dialog', { id: 'queue-reject', 'aria-labelledby': rejectTitle.id },
    el('form', { method: 'dialog', onsubmit: (e) => { e.preventDefault(); rejectDialog.close('reject'); } },
      rejectTitle,
      el('fieldset', {}, el('legend', { text: t('form.reason') }),
        reasonChoices.map((c, i) => el('div', {}, c, el('label', { htmlFor: c.id, text: (i + 1) + ' · ' + t(REASONS[i].key) })))),
      el('div', {}, abuse, el('label', { htmlFor: abuse.id, text: t('moderation.abusive') })),
      el('p', { class: 'note', text: t('queue.reasonHint') }),
      el('div', { class: 'actions' }, rejectButton,
        el('button', { type: 'button', id: 'queue-reject-cancel', text: t('queue.cancel'), onclick: () => rejectDialog.close() }))));
  rejectDialog.addEventListener('keydown', (e) => {
    const n = Number(e.key);
    if (n >= 1 && n <= REASONS.length && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      reasonChoices[n - 1].checked = true;
      abuse.checked = REASONS[n - 1].abuse;
      rejectDialog.close('reject');
    }
  });
  const confirmText = el('p', { id: 'queue-confirm-text' });
  const confirmButton = el('button', { type: 'submit', id: 'queue-confirm-ok', class: 'approve', text: t('moderation.approve') });
  const confirmDialog = el('dialog', { id: 'queue-confirm', 'aria-labelledby': confirmText.id },
    el('form', { method: 'dialog', onsubmit: (e) => { e.preventDefault(); confirmDialog.close('ok'); } }, confirmText,
      el('div', { class: 'actions' }, confirmButton,
        el('button', { type: 'button', id: 'queue-confirm-cancel', text: t('queue.cancel'), onclick: () => confirmDialog.close() }))));
  const help = el('dialog', { id: 'queue-help', 'aria-labelledby': 'queue-help-title' },
    el('h3', { id: 'queue-help-title', text: t('queue.shortcuts') }),
    el('ul', {}, ['queue.keyNext', 'queue.keyPrevious', 'queue.keyApprove', 'queue.keyReject', 'queue.keyHelp']
      .map((key) => el('li', { text: t(key) }))),
    el('button', { type: 'button', id: 'queue-help-close', text: t('queue.close'), onclick: () => help.close() }));

  view.append(el('h2', { tabindex: '-1', text: t('nav.moderation') }), status,
    el('div', { class: 'toolbar actions' },
      el('button', { type: 'button', id: 'moderation-refresh', text: t('moderation.refresh'), onclick: () => { counts(); loadPage(); } }),
      el('button', { type: 'button', id: 'queue-shortcuts', text: t('queue.shortcuts'), 'aria-keyshortcuts': '?',
        onclick: () => help.showModal() }),
      el('span', { class: 'meta', text: t('queue.keysHint') })),
    section(t('queue.filters'), filters),
    section(t('queue.byCase'), oldest, byCase.node),
    section(t('moderation.pending'), el('div', { class: 'toolbar actions' }, approveAll, rejectAll, firstPage, nextPage),
      feedback, list),
    section(t('moderation.asTable'), table.node),
    rejectDialog, confirmDialog, help);

  let shown = [];      // the page's messages not decided yet, in order: what a bulk decision sends
  let pages = [];      // the cursors of the pages before ('' for the first)
  let last = '';       // the last message id of the page shown: the next page starts after it
  let focused = 0;
  // filters changed quickly start reads that may answer out of order: only the latest one is shown
  let pageRead = 0;
  let countRead = 0;

  function query(withCase) {
    const q = new URLSearchParams();
    if (withCase && caseSelect.value) { q.set('caseId', caseSelect.value); }
    if (entitySelect.value) { q.set('entityId', entitySelect.value); }
    if (languageSelect.value) { q.set('language', languageSelect.value); }
    if (ageSelect.value) { q.set('receivedBefore', new Date(Date.now() - Number(ageSelect.value) * 3600000).toISOString()); }
    return q;
  }

  async function campaignId() { return (await campaign()).campaign.campaignId; }

  function options(select, groups, key, name, all) {
    const chosen = select.value;
    const known = groups.filter((g) => g[key] != null);
    select.replaceChildren(el('option', { value: '', text: t(all) }),
      ...known.map((g) => el('option', { value: g[key], text: t('queue.option', { name: name(g[key]), count: g.waiting }) })));
    // a filter chosen before stays chosen, even when nothing waits under it any more
    if (chosen && !known.some((g) => g[key] === chosen)) { select.append(el('option', { value: chosen, text: name(chosen) })); }
    select.value = chosen;
  }

  const languageName = (code) => {
    try { return new Intl.DisplayNames([current()], { type: 'language' }).of(code) || code; } catch (e) { return code; }
  };

  // the counts: the campaign's by case (the table and the filters' choices), then the total under the filters
  async function counts() {
    const read = ++countRead;
    try {
      const id = encodeURIComponent(await campaignId());
      const all = await petitionService('/api/v1/messages/waiting?campaignId=' + id);
      if (read !== countRead) { return; }
      options(caseSelect, all.cases, 'caseId', caseName, 'queue.allCases');
      options(entitySelect, all.entities, 'entityId', entityName, 'queue.allEntities');
      options(languageSelect, all.languages, 'language', languageName, 'queue.allLanguages');
      byCase.fill(all.cases.map((c) => [caseName(c.caseId), c.waiting, date(c.oldestReceivedAt),
        age(Math.max(0, (Date.parse(all.asOf) - Date.parse(c.oldestReceivedAt)) / 1000))]));
      const filtered = query(true).toString() ? await petitionService('/api/v1/messages/waiting?campaignId=' + id + '&'
        + query(true)) : all;
      if (read !== countRead) { return; }
      status.textContent = t('moderation.waiting', { count: filtered.waiting });
      oldest.textContent = all.oldestReceivedAt
        ? t('queue.oldest', { age: age(all.oldestWaitingSeconds), when: date(all.oldestReceivedAt) }) : t('queue.empty');
    } catch (e) { status.replaceChildren(message(t('moderation.cannotRead', { reason: e.message }), 'error')); }
  }

  function first() { pages = []; last = ''; loadPage(); counts(); }

  async function loadPage() {
    const read = ++pageRead;
    const after = pages.length ? pages[pages.length - 1] : '';
    const size = Number(sizeSelect.value);
    try {
      const q = query(true);
      q.set('campaignId', await campaignId());
      q.set('status', 'pending');
      q.set('limit', String(size));
      if (after) { q.set('after', after); }
      const messages = await petitionService('/api/v1/messages?' + q);
      if (read !== pageRead) { return; }
      shown = messages.slice();
      last = messages.length ? messages[messages.length - 1].messageId : after;
      list.replaceChildren(...messages.map(entry));
      table.fill(messages.map((m) => [date(m.createdAt), m.caseId, m.entityId, m.author && m.author.name,
        m.author && m.author.country, m.language,
        { node: el('span', { lang: m.language || null, dir: 'auto', text: m.text }), value: m.text }]));
      nextPage.disabled = messages.length < size;
      firstPage.disabled = pages.length === 0;
      bulkButtons();
      focused = 0;
      if (list.children.length) { focus(0, false); }
    } catch (e) { status.replaceChildren(message(t('moderation.cannotRead', { reason: e.message }), 'error')); }
  }

  function bulkButtons() {
    approveAll.textContent = t('queue.approveShown', { count: shown.length });
    rejectAll.textContent = t('queue.rejectShown', { count: shown.length });
    approveAll.disabled = rejectAll.disabled = shown.length === 0;
    if (!list.children.length) { list.replaceChildren(el('li', { class: 'note', text: t('queue.empty') })); }
  }

  const items = () => Array.from(list.querySelectorAll('li.message'));

  /** The message in focus: one tab stop for the list (roving tabindex), outlined, and scrolled into view. */
  function focus(index, move) {
    const all = items();
    if (!all.length) { return; }
    focused = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((li, i) => {
      li.tabIndex = i === focused ? 0 : -1;
      li.classList.toggle('current', i === focused);
      li.toggleAttribute('aria-current', i === focused);
    });
    if (move !== false) { all[focused].focus(); }
  }

  function decided(m, item) {
    const index = items().indexOf(item);
    shown = shown.filter((s) => s.messageId !== m.messageId);
    item.remove();
    bulkButtons();
    focus(index, true);
    counts();
  }

  async function decide(m, body, item) {
    if (item.dataset.busy) { return; }
    item.dataset.busy = 'true';
    let answer;
    try {
      answer = await decideOnce(() => petitionService('/api/v1/messages/' + encodeURIComponent(m.messageId) + '/decision',
        { method: 'POST', body }), body.decision);
    } catch (e) {
      delete item.dataset.busy;
      feedback.textContent = t('error.notSaved', { reason: e.message });
      return;
    }
    if (answer.outcome === 'unknown') {
      // neither taken nor refused for sure: the page read again shows whether it still waits
      feedback.textContent = t('queue.maybeDecided');
      first();
      return;
    }
    // reviewed before: no longer pending either way, so it leaves the list like a decision of this page
    decided(m, item);
    feedback.textContent = answer.outcome === 'reviewed' ? t('queue.alreadyReviewed', { reason: answer.error.message })
      : body.decision === 'approve' ? t('moderation.approved') : t('moderation.rejected');
  }

  /** The reject dialog; resolves to {reason, abuse}, or null when cancelled. */
  function askReason(title) {
    rejectTitle.textContent = title;
    reasonChoices[0].checked = true;
    abuse.checked = REASONS[0].abuse;
    rejectDialog.returnValue = '';
    rejectDialog.showModal();
    reasonChoices[0].focus();
    return new Promise((resolve) => rejectDialog.addEventListener('close', () => {
      const chosen = REASONS[Number(reasonChoices.find((c) => c.checked).value)];
      resolve(rejectDialog.returnValue === 'reject' ? { reason: t(chosen.key), abuse: abuse.checked } : null);
    }, { once: true }));
  }

  async function reject(m, item) {
    const answer = await askReason(t('queue.rejectOne'));
    if (answer) { await decide(m, { decision: 'reject', reason: answer.reason, abuse: answer.abuse }, item); }
    const now = items()[focused];
    if (now) { now.focus(); }
  }

  // the page at once: exactly the ids shown, after a confirmation that says how many
  async function confirmBulk(approve) {
    const ids = shown.map((m) => m.messageId);
    if (!ids.length) { return; }
    let body = { campaignId: await campaignId(), messageIds: ids, decision: approve ? 'approve' : 'reject' };
    if (approve) {
      confirmText.textContent = t('queue.confirmApprove', { count: ids.length });
      confirmDialog.returnValue = '';
      confirmDialog.showModal();
      confirmButton.focus();
      const ok = await new Promise((resolve) => confirmDialog.addEventListener('close',
        () => resolve(confirmDialog.returnValue === 'ok'), { once: true }));
      if (!ok) { return; }
    } else {
      const answer = await askReason(t('queue.confirmReject', { count: ids.length }));
      if (!answer) { return; }
      body = { ...body, reason: answer.reason, abuse: answer.abuse };
    }
    try {
      const result = await petitionService('/api/v1/messages/decisions', { method: 'POST', body });
      feedback.textContent = t('queue.bulkDone', { decided: result.decided, skipped: result.skipped });
      shown = [];
      first();
    } catch (e) {
      if (!uncertain(e)) { feedback.textContent = t('error.notSaved', { reason: e.message }); return; }
      // the page read again shows what still waits (a bulk decision skips what was decided, if sent again)
      feedback.textContent = t('queue.maybeDecided');
      shown = [];
      first();
    }
  }

  function entry(m) {
    const item = el('li', { class: 'message card', tabindex: '-1', 'data-message-id': m.messageId });
    item.addEventListener('focus', () => { if (!item.classList.contains('current')) { focus(items().indexOf(item), false); } });
    item.append(
      el('p', { class: 'meta', text: caseName(m.caseId) + ' · ' + entityName(m.entityId) + ' · ' + date(m.createdAt) }),
      // a message in any language on a page in any other: its own direction (dir=auto), its own language
      el('blockquote', { class: 'message-text', lang: m.language || null, dir: 'auto', text: m.text }),
      el('p', { class: 'meta', text: m.author && m.author.name
        ? (m.author.country ? t('moderation.byFrom', { author: m.author.name, country: m.author.country })
          : t('moderation.by', { author: m.author.name }))
        : t('moderation.anonymous') }),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'approve', text: t('moderation.approve'), 'aria-keyshortcuts': 'a',
          onclick: () => decide(m, { decision: 'approve' }, item) }),
        el('button', { type: 'button', class: 'reject', text: t('moderation.reject'), 'aria-keyshortcuts': 'r',
          onclick: () => reject(m, item) })));
    item.message = m;
    return item;
  }

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || view.querySelector('dialog[open]')) { return; }
    const all = items();
    const item = all[focused];
    const keys = {
      j: () => focus(focused + 1), ArrowDown: () => focus(focused + 1),
      k: () => focus(focused - 1), ArrowUp: () => focus(focused - 1),
      a: () => item && decide(item.message, { decision: 'approve' }, item),
      r: () => item && reject(item.message, item),
      '?': () => help.showModal(),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  }
  document.addEventListener('keydown', onKey);

  first();
  // the counts follow what others decide; the list changes only by this moderator's hand (a bulk decision sends what
  // was seen, never what came in since)
  const timer = setInterval(counts, 10000);
  return () => { clearInterval(timer); document.removeEventListener('keydown', onKey); };
}
