// The staff token (or the access token from the organisation's identity provider, js/oidc.js) lives in this tab's
// sessionStorage only; every call sends it as a bearer token. A browser that restores tabs keeps sessionStorage with
// the session (on disk), so a tab closed without "Sign out" came back signed in for the next person at that screen
// (a read-only review, 8 December 2026): a token unused for IDLE_MS is forgotten, and the page asks for it again.
import { t } from './i18n.js';

const KEY = 'w4r.token';
const USED = 'w4r.token.used';
export const IDLE_MS = 30 * 60 * 1000;
let services = null;

export const token = {
  get: () => {
    const value = sessionStorage.getItem(KEY);
    if (value !== null && !(Date.now() - Number(sessionStorage.getItem(USED) || 0) < IDLE_MS)) {
      token.clear();
      return null;
    }
    return value;
  },
  set: (value) => {
    sessionStorage.setItem(KEY, value);
    sessionStorage.setItem(USED, String(Date.now()));
  },
  /** Called with every request: the token stays while the page is in use. */
  used: () => {
    if (sessionStorage.getItem(KEY) !== null) { sessionStorage.setItem(USED, String(Date.now())); }
  },
  clear: () => {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(USED);
  },
};

/** The token for a request, marked used; null once it was idle too long. */
function bearer() {
  const value = token.get();
  token.used();
  return value;
}

export class ApiError extends Error {
  constructor(status, problem) {
    // the services' own words (problem+json) as they come; a bare status in the page's language
    super((problem && (problem.detail || problem.title)) || t('error.http', { status }));
    this.status = status;
    this.problem = problem;
  }
}

/** Base URLs of the four APIs, and how staff sign in ({@code oidc}, or null for a token): the staff UI's one answer. */
export async function serviceUrls() {
  if (!services) {
    const r = await fetch('/config');
    services = await r.json();
  }
  return services;
}

/**
 * One call to an API. {@code version}: the version of the record the page showed, for an edit: sent as If-Match, so
 * the API refuses (412 edited-since) an edit of a record someone changed since, instead of writing this form's older
 * values over that change. {@code idempotencyKey}: sent as Idempotency-Key, where the endpoint takes one (see
 * keyedWrite). {@code full}: the answer as {status, headers, body} rather than its body alone, for an answer whose
 * status says something the body does not (a hold or a revocation stored but not yet on Kafka: see propagating).
 */
export async function call(url, options) {
  const opts = options || {};
  const headers = Object.assign({ Authorization: 'Bearer ' + bearer(), Accept: opts.accept || 'application/json' },
    opts.body !== undefined ? { 'Content-Type': 'application/json' } : {},
    opts.version != null ? { 'If-Match': '"' + opts.version + '"' } : {},
    opts.idempotencyKey ? { 'Idempotency-Key': opts.idempotencyKey } : {});
  const response = await fetch(url, { method: opts.method || 'GET', headers, credentials: 'omit',
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch (e) { problem = null; }
    if (response.status === 401) { window.dispatchEvent(new CustomEvent('w4r-unauthorized')); }
    throw new ApiError(response.status, problem);
  }
  // nothing to read: 204, or a 202 with no body (case-service's revocation still on its way to Kafka)
  const body = response.status === 204 || !response.headers.get('Content-Type') ? null
    : (opts.accept || '').startsWith('text/') ? await response.text() : await response.json();
  return opts.full ? { status: response.status, headers: response.headers, body } : body;
}

/** The last part of a refusal's problem type ("outcome-unknown", "not-planned"), or ''. */
export const problemType = (e) => (e && e.problem && typeof e.problem.type === 'string' ? e.problem.type.split('/').pop() : '');

/**
 * Whether a write that failed may still have taken effect: a 503 outcome-unknown (the connection to the database broke
 * during the commit), or no answer at all (fetch's TypeError: the network dropped it, on the way there or back). Any
 * other refusal is an API's answer, and a 2xx is stored.
 */
export const uncertain = (e) => !(e instanceof ApiError) || (e.status === 503 && problemType(e) === 'outcome-unknown');

/**
 * A change case-service stored but could not yet put on Kafka within its wait (202, W4R-Propagated: false): the other
 * services do not enforce it until its relay gets it there. Read from a call made with {@code full}.
 */
export const propagating = (answer) => Boolean(answer) && (answer.status === 202
  || (answer.headers && answer.headers.get('W4R-Propagated') === 'false'));

function newKey() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') { return crypto.randomUUID(); }
  // randomUUID is for secure contexts only; a page served over plain http elsewhere than localhost still gets 122
  // random bits, the same as a UUID's
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
}

/**
 * A write from a form to an endpoint that takes an Idempotency-Key ({@code write(body, key)}): one key per filled
 * form. The key is kept while the form sends the same body, so pressing again after an answer that left the outcome
 * unknown (503 outcome-unknown, a network error) is the same write, answered with what was stored instead of stored a
 * second time; a changed field is another write, with a new key; after a 2xx the next send is a new one. The
 * offline counts once went without a key, and a second press after such an answer counted them twice.
 */
export function keyedWrite(write) {
  let pending = null; // {sent: the body as JSON, key}
  return async (body) => {
    const sent = JSON.stringify(body);
    if (!pending || pending.sent !== sent) { pending = { sent, key: newKey() }; }
    const { key } = pending;
    const answer = await write(body, key);
    if (pending && pending.key === key) { pending = null; }
    return answer;
  };
}

/** A CSV body (case-service's imports) with the same bearer header; the answer is JSON. */
export async function sendCsv(url, text) {
  const response = await fetch(url, { method: 'POST', credentials: 'omit', body: text,
    headers: { Authorization: 'Bearer ' + bearer(), 'Content-Type': 'text/csv', Accept: 'application/json' } });
  return answer(response, () => response.json());
}

/** A file the API serves (a delivery pack): its bytes and the answer's headers. */
export async function fetchFile(url) {
  const response = await fetch(url, { headers: { Authorization: 'Bearer ' + bearer() }, credentials: 'omit' });
  return answer(response, async () => ({ blob: await response.blob(), headers: response.headers }));
}

async function answer(response, read) {
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch (e) { problem = null; }
    if (response.status === 401) { window.dispatchEvent(new CustomEvent('w4r-unauthorized')); }
    throw new ApiError(response.status, problem);
  }
  return read();
}

// The campaign shown: the current one unless the picker chose another (kept per tab, like the token).
export const campaign = {
  get: () => sessionStorage.getItem('w4r.campaign') || '',
  set: (id) => (id ? sessionStorage.setItem('w4r.campaign', id) : sessionStorage.removeItem('w4r.campaign')),
};

/** A path about the chosen campaign (unless it names one itself). */
export function inCampaign(path) {
  const id = campaign.get();
  if (!id || /[?&]campaign=/.test(path)) { return path; }
  return path + (path.includes('?') ? '&' : '?') + 'campaign=' + encodeURIComponent(id);
}

/** tally-service, about the chosen campaign; {@code tallyService} for what is not about a campaign. */
export async function tally(path, options) { return tallyService(inCampaign(path), options); }
export async function tallyService(path, options) { return call((await serviceUrls()).tallyService + path, options); }
export async function caseService(path, options) { return call((await serviceUrls()).caseService + path, options); }
export async function petitionService(path, options) { return call((await serviceUrls()).petitionService + path, options); }
export async function deliveryService(path, options) { return call((await serviceUrls()).deliveryService + path, options); }
