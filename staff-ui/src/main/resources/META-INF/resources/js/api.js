// The staff token (or the access token from the organisation's identity provider, js/oidc.js) lives in this tab's
// sessionStorage only; every call sends it as a bearer token.
import { t } from './i18n.js';

const KEY = 'w4r.token';
let services = null;

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

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
 * values over that change.
 */
export async function call(url, options) {
  const opts = options || {};
  const headers = Object.assign({ Authorization: 'Bearer ' + token.get(), Accept: opts.accept || 'application/json' },
    opts.body !== undefined ? { 'Content-Type': 'application/json' } : {},
    opts.version != null ? { 'If-Match': '"' + opts.version + '"' } : {});
  const response = await fetch(url, { method: opts.method || 'GET', headers, credentials: 'omit',
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch (e) { problem = null; }
    if (response.status === 401) { window.dispatchEvent(new CustomEvent('w4r-unauthorized')); }
    throw new ApiError(response.status, problem);
  }
  // nothing to read: 204, or a 202 with no body (case-service's revocation still on its way to Kafka)
  if (response.status === 204 || !response.headers.get('Content-Type')) { return null; }
  return (opts.accept || '').startsWith('text/') ? response.text() : response.json();
}

/** A CSV body (case-service's imports) with the same bearer header; the answer is JSON. */
export async function sendCsv(url, text) {
  const response = await fetch(url, { method: 'POST', credentials: 'omit', body: text,
    headers: { Authorization: 'Bearer ' + token.get(), 'Content-Type': 'text/csv', Accept: 'application/json' } });
  return answer(response, () => response.json());
}

/** A file the API serves (a delivery pack): its bytes and the answer's headers. */
export async function fetchFile(url) {
  const response = await fetch(url, { headers: { Authorization: 'Bearer ' + token.get() }, credentials: 'omit' });
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
