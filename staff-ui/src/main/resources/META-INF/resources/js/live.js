// The live totals: one EventSource on /api/v1/totals/stream. EventSource cannot send headers, so the page first
// exchanges its token (in a header) for a ticket that opens one stream within seconds; the URL carries only that.
// A ticket is single use, so every reconnect asks for a new one (EventSource's own retry would reuse a spent ticket).
// Listeners get the merged state after every event.
import { tallyService, inCampaign, serviceUrls } from './api.js';

const state = { total: 0, withoutCase: 0, cases: {}, entities: {}, at: null, connected: false };
const listeners = new Set();
let source = null;

function apply(data) {
  if (data.kind === 'totals') {
    state.cases = Object.assign({}, data.cases);
    state.entities = Object.assign({}, data.entities);
  } else {
    Object.assign(state.cases, data.cases);
    Object.assign(state.entities, data.entities);
  }
  state.total = data.total;
  state.withoutCase = data.withoutCase;
  state.at = data.at;
  notify(data.kind);
}

function notify(kind) {
  listeners.forEach((fn) => { try { fn(state, kind); } catch (e) { console.error(e); } });
}

let generation = 0;
let retry = null;
let delay = 1000;

async function connect(mine) {
  let ticket;
  let base;
  try {
    base = (await serviceUrls()).tallyService;
    // not about a campaign: tally refuses a query parameter an endpoint does not declare
    ticket = (await tallyService('/api/v1/totals/stream-tickets', { method: 'POST' })).ticket;
  } catch (e) {
    if (e.status === 401 || e.status === 403) { return; } // signed out or revoked: api.js has told the page
    reconnect(mine);
    return;
  }
  if (mine !== generation) { return; }
  const es = new EventSource(base + inCampaign('/api/v1/totals/stream?ticket=' + encodeURIComponent(ticket)));
  source = es;
  es.addEventListener('totals', (e) => { state.connected = true; delay = 1000; apply(JSON.parse(e.data)); });
  es.addEventListener('changes', (e) => apply(JSON.parse(e.data)));
  es.addEventListener('open', () => { state.connected = true; notify('status'); });
  es.addEventListener('error', () => {
    // the server ended the stream or the network dropped it: never let EventSource retry with the spent ticket
    es.close();
    if (source === es) { source = null; }
    state.connected = false;
    notify('status');
    reconnect(mine);
  });
}

function reconnect(mine) {
  if (mine !== generation) { return; }
  clearTimeout(retry);
  retry = setTimeout(() => connect(mine), delay);
  delay = Math.min(delay * 2, 30000);
}

export function start() {
  stop();
  delay = 1000;
  connect(generation);
}

export function stop() {
  generation += 1;
  clearTimeout(retry);
  if (source) { source.close(); source = null; }
  // the totals read with the last user's token are not the next user's (sign-out stops the stream)
  Object.assign(state, { total: 0, withoutCase: 0, cases: {}, entities: {}, at: null, connected: false });
}

export function subscribe(fn) {
  listeners.add(fn);
  if (state.at) { fn(state, 'totals'); }
  return () => listeners.delete(fn);
}

export const current = () => state;
