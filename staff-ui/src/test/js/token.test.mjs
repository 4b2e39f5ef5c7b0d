// The token a tab keeps (js/api.js): a browser that restores tabs writes sessionStorage to disk with the session, so a
// tab closed without "Sign out" came back signed in for the next person at that screen (a read-only review,
// 8 December 2026). A token unused for IDLE_MS is forgotten; every request keeps it. Run: node --test staff-ui/src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';

const store = new Map();
globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k) };
globalThis.window = { dispatchEvent() {} };
let now = 1_800_000_000_000;
Date.now = () => now;
const sent = [];
globalThis.fetch = async (url, options) => {
  if (url === '/config') { return new Response(JSON.stringify({ tallyService: 'http://tally' })); }
  sent.push(options.headers.Authorization);
  return new Response('{}', { headers: { 'Content-Type': 'application/json' } });
};

const api = await import('../../main/resources/META-INF/resources/js/api.js');

test('a token used within the idle time stays; one left idle longer is forgotten, with nothing of it kept', async () => {
  api.token.set('staff-token');
  now += api.IDLE_MS - 1000;
  assert.equal(api.token.get(), 'staff-token', 'still within the idle time');
  await api.call('http://tally/api/v1/me');
  assert.deepEqual(sent, ['Bearer staff-token']);
  now += api.IDLE_MS - 1000; // a request restarted the idle time
  assert.equal(api.token.get(), 'staff-token', 'kept by the request');
  now += 2000; // idle longer than IDLE_MS since that request, as a tab closed and restored later
  assert.equal(api.token.get(), null, 'forgotten');
  assert.equal(store.size, 0, 'nothing of it left in sessionStorage: ' + [...store.keys()]);
});
