// The live totals: one EventSource on /api/v1/totals/stream (EventSource cannot send headers, so the token goes as
// access_token on this one URL; the page sends no Referer). Listeners get the merged state after every event.
import { token, inCampaign } from './api.js';

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

export function start() {
  stop();
  source = new EventSource(inCampaign('/api/v1/totals/stream?access_token=' + encodeURIComponent(token.get())));
  source.addEventListener('totals', (e) => { state.connected = true; apply(JSON.parse(e.data)); });
  source.addEventListener('changes', (e) => apply(JSON.parse(e.data)));
  source.addEventListener('error', () => { state.connected = source && source.readyState === EventSource.OPEN; notify('status'); });
  source.addEventListener('open', () => { state.connected = true; notify('status'); });
}

export function stop() {
  if (source) { source.close(); source = null; }
  state.connected = false;
}

export function subscribe(fn) {
  listeners.add(fn);
  if (state.at) { fn(state, 'totals'); }
  return () => listeners.delete(fn);
}

export const current = () => state;
