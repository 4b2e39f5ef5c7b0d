// Campaign reference data for the views (names, goals, holds), from tally-service's read model of the cases topic.
// Polled every few seconds: a hold placed in case-service shows on the open page without a reload.
import { tally } from './api.js';

let info = null;
const listeners = new Set();
let timer = null;

async function load() {
  info = await tally('/api/v1/dashboard/cases');
  listeners.forEach((fn) => fn(info));
  return info;
}

export async function campaign() { return info || load(); }

export function watch(fn) {
  listeners.add(fn);
  if (info) { fn(info); } else { load().catch(() => {}); }
  if (!timer) { timer = setInterval(() => load().catch(() => {}), 2000); }
  return () => listeners.delete(fn);
}

/** Another campaign was chosen: forget the old one's cases and read the new one's. */
export function reload() { info = null; return load(); }

export function stop() { clearInterval(timer); timer = null; info = null; listeners.clear(); }

export const caseName = (id) => {
  const c = info && info.cases.find((x) => x.caseId === id);
  return c && c.name ? c.name : id;
};
export const entityName = (id) => (info && info.entityNames[id]) || id;
export const held = () => (info ? info.cases.filter((c) => c.hold) : []);
