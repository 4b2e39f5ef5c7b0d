// Campaign reference data for the views (names, goals, holds), from tally-service's read model of the cases topic.
// Polled every few seconds: a hold placed in case-service shows on the open page without a reload.
import { tally } from './api.js';

let info = null;
const listeners = new Set();
let timer = null;
// Bumped by stop() and reload(): a read still in flight then belongs to the user who signed out (or to the campaign
// left) and is dropped, not written back for the next user of this tab to see (a read-only review, 6 December 2026).
// Its callers get the read that replaced it, or nothing after a sign-out: never a read again with no token, whose 401
// would end a deliberate sign-out on "session expired".
let generation = 0;
let signedOut = false;
let current = null;

function load() {
  const mine = generation;
  signedOut = false;
  const reading = tally('/api/v1/dashboard/cases').then((read) => {
    if (mine !== generation) { return signedOut ? null : current; }
    info = read;
    listeners.forEach((fn) => fn(info));
    return info;
  });
  current = reading;
  // a failed read is not kept for the next caller: it reads again, as before
  reading.catch(() => { if (current === reading) { current = null; } });
  return reading;
}

export async function campaign() { return info || current || load(); }

export function watch(fn) {
  listeners.add(fn);
  if (info) { fn(info); } else { load().catch(() => {}); }
  if (!timer) { timer = setInterval(() => load().catch(() => {}), 2000); }
  return () => listeners.delete(fn);
}

/** Another campaign was chosen: forget the old one's cases and read the new one's. */
export function reload() { generation += 1; info = null; return load(); }

export function stop() {
  generation += 1; signedOut = true; current = null;
  clearInterval(timer); timer = null; info = null; listeners.clear();
}

export const caseName = (id) => {
  const c = info && info.cases.find((x) => x.caseId === id);
  return c && c.name ? c.name : id;
};
export const entityName = (id) => (info && info.entityNames[id]) || id;
export const held = () => (info ? info.cases.filter((c) => c.hold) : []);
