// What the case managers' and delivery teams' pages share: labelled fields, a confirmation before a destructive step,
// a secret shown once with a copy button, and an API's refusal said in words.
import { el } from './dom.js';
import { t, date, has } from './i18n.js';

let ids = 0;
const nextId = () => 'a-' + (ids += 1);

export function field(label, input) {
  if (!input.id) { input.id = nextId(); }
  return el('div', { class: 'field' }, el('label', { htmlFor: input.id, text: label }), input);
}

/** A checkbox with its label after it, as people read one. */
export function tick(label, input) {
  if (!input.id) { input.id = nextId(); }
  return el('div', { class: 'field tick' }, input, el('label', { htmlFor: input.id, text: label }));
}

export const input = (attrs) => el('input', Object.assign({ type: 'text' }, attrs));
export const select = (attrs, options) => el('select', attrs || {},
  options.map(([value, text]) => el('option', { value, text })));

/**
 * A day chosen in a date field as the instant the APIs take: its start, or its last second (UTC, as the page says).
 * endOf is for an instant that is itself the last one allowed; a window's end is closeAfter.
 */
export const startOf = (isoDay) => isoDay + 'T00:00:00Z';
export const endOf = (isoDay) => isoDay + 'T23:59:59Z';
export const dayOf = (instant) => (instant ? instant.slice(0, 10) : '');

const DAY_MS = 86400000;

/**
 * A campaign's or an extension's close picked as a day ("open through the end of that day", UTC): the next day's
 * start, as petition-service and tally-service take closesAt as exclusive (an action at closesAt is refused). The
 * last second of the day (endOf) would refuse actions in that second.
 */
export const closeAfter = (isoDay) => new Date(Date.parse(startOf(isoDay)) + DAY_MS).toISOString().slice(0, 10)
  + 'T00:00:00Z';

/**
 * The day a date field shows for an exclusive close: the last day still open, the day of (closesAt − 1 ms), so a
 * close at 2027-03-21T00:00:00Z shows 20 March (its first day shown would close it a day later once saved).
 */
export function lastOpenDay(closesAt) {
  const ms = closesAt ? Date.parse(closesAt) : NaN;
  return Number.isNaN(ms) ? dayOf(closesAt) : new Date(ms - 1).toISOString().slice(0, 10);
}

/**
 * A window as an edit sends it: the opening and the close exactly as they were read when their day was left as shown
 * (a day field cannot say 12:00 or a microsecond, so rebuilding them from the day would move a window set through the
 * API), else the day picked (its start; the start of the day after for the close).
 */
export function windowSent(was, opensDay, closesDay) {
  return {
    opensAt: was.opensAt && dayOf(was.opensAt) === opensDay ? was.opensAt : startOf(opensDay),
    closesAt: was.closesAt && lastOpenDay(was.closesAt) === closesDay ? was.closesAt : closeAfter(closesDay),
  };
}
export const today = (plusDays) => new Date(Date.now() + (plusDays || 0) * 86400000).toISOString().slice(0, 10);

/**
 * Asks before a destructive step, in a modal dialog (its buttons by keyboard; Escape cancels). Resolves true only when
 * the person confirmed.
 */
export function confirmStep(question, action) {
  return new Promise((resolve) => {
    const id = nextId();
    const yes = el('button', { type: 'button', class: 'danger', id: 'confirm-yes', text: action });
    const no = el('button', { type: 'button', id: 'confirm-no', text: t('admin.cancel') });
    const dialog = el('dialog', { class: 'confirm', 'aria-labelledby': id },
      el('p', { id, text: question }), el('div', { class: 'actions' }, yes, no));
    const done = (answer) => { if (dialog.open) { dialog.close(); } dialog.remove(); resolve(answer); };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/** A key or token the API shows once: in a read-only field, with a button that copies it. */
export function secretBox(label, secret, id) {
  const value = el('input', { type: 'text', id: id || nextId(), readOnly: true, value: secret, size: 48, class: 'secret' });
  const said = el('span', { class: 'note', 'aria-live': 'polite' });
  const copy = el('button', { type: 'button', class: 'copy', text: t('admin.copy'), onclick: async () => {
    try { await navigator.clipboard.writeText(secret); }
    catch (e) { value.select(); document.execCommand('copy'); }
    said.textContent = t('admin.copied');
  } });
  return el('div', { class: 'secret-box' },
    el('label', { htmlFor: value.id, text: label }), el('div', { class: 'actions' }, value, copy, said),
    el('p', { class: 'note', text: t('admin.shownOnce') }));
}

/**
 * An API's refusal in words: the known problem types in the page's language (a hold with its date, a field by name),
 * followed by the service's own detail, which names the specifics (ids, lines) and stays as it came.
 */
export function explain(e) {
  const p = (e && e.problem) || {};
  const slug = (p.type || '').split('/').pop();
  if (slug === 'case-on-hold') {
    return t('admin.problem.caseOnHold', { since: p.hold && p.hold.placedAt ? date(p.hold.placedAt) : '?' });
  }
  if (slug === 'invalid-field' && p.field) {
    return t('admin.problem.invalidField', { field: p.field, detail: p.detail || '' });
  }
  const key = 'admin.problem.' + slug;
  if (slug && has(key)) { return t(key) + (p.detail ? ' ' + t('admin.problem.detail', { detail: p.detail }) : ''); }
  return e && e.message ? e.message : String(e);
}

/**
 * Says why an edit was not saved. When the record changed since the page read it (412 edited-since), the page reads it
 * again ({@code reload}): the person sees the colleague's change before deciding whether to make theirs again.
 */
export async function notSaved(status, e, reload) {
  status.failed(t('admin.notSaved', { reason: explain(e) }));
  if (e && e.status === 412) { await reload(); }
}

/**
 * A write sent from buttons one at a time: {@code buttons} (an array, or a function that names them when pressed) are
 * disabled while it is on its way, and a press that still gets through (Enter in a field, a click before the repaint)
 * gets the write already running, never a second one. A second handover, invalidation or credential went out that
 * way, and its refusal (or its secret) replaced what the first one did. {@code after} runs once the buttons are back,
 * for a button whose state the write itself decides (disabled until a new preview, say).
 */
export function oneAtATime(write, buttons, after) {
  let running = null;
  const named = () => (typeof buttons === 'function' ? buttons() : buttons || []).filter(Boolean);
  return (...args) => {
    if (running) { return running; }
    const pressed = named();
    pressed.forEach((b) => { b.disabled = true; });
    // started after running is set, so a write that throws at once still clears it
    running = Promise.resolve().then(() => write(...args)).finally(() => {
      running = null;
      pressed.forEach((b) => { b.disabled = false; });
      if (after) { after(); }
    });
    return running;
  };
}

/** A status line for a page: what was done, or why not, announced politely; errors as alerts. */
export function statusLine(id) {
  const node = el('p', { id, class: 'note', 'aria-live': 'polite' });
  const mark = (role) => {
    node.classList.remove('done', 'error');
    if (role) { node.setAttribute('role', role); } else { node.removeAttribute('role'); }
  };
  return {
    node,
    done(text) { mark(null); node.classList.add('done'); node.textContent = text; },
    failed(text) { mark('alert'); node.classList.add('error'); node.textContent = text; },
    clear() { mark(null); node.textContent = ''; },
  };
}
