// Signing out (app.js: live.stop(), model.stop()) leaves nothing of the last user's campaign for the next user of the
// tab: a read of the campaign's cases still in flight when the first user signs out is dropped, not written back
// (it was, until a read-only review of 6 December 2026), and the live totals start again from nothing.
// Run: node --test staff-ui/src/test/js/ (the build runs it in staff-ui's test phase).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const store = new Map();
globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k) };
globalThis.window = { dispatchEvent() {} };

// each read of the dashboard's cases waits until the test answers it, with the campaign of the token that asked
const pending = [];
globalThis.fetch = async (url, options) => {
  if (url === '/config') { return new Response(JSON.stringify({ tallyService: 'http://tally' })); }
  const asker = options.headers.Authorization;
  return new Promise((resolve) => pending.push({ asker, answer: (body) => resolve(new Response(JSON.stringify(body),
    { headers: { 'Content-Type': 'application/json' } })) }));
};
const until = async (ready, what) => {
  for (let waited = 0; !ready(); waited += 5) {
    if (waited > 5000) { assert.fail('not within 5 s: ' + what); }
    await new Promise((r) => setTimeout(r, 5));
  }
};

const api = await import('../../main/resources/META-INF/resources/js/api.js');
const model = await import('../../main/resources/META-INF/resources/js/model.js');
const live = await import('../../main/resources/META-INF/resources/js/live.js');

const first = { cases: [{ caseId: 'draft-case', name: 'A name only the first user may read' }], entityNames: {} };
const second = { cases: [{ caseId: 'el-hiblu-3', name: 'El Hiblu 3' }], entityNames: {} };

test('a read in flight at sign-out is not shown to the next user of the tab', async () => {
  api.token.set('first-user');
  const asked = model.campaign();
  await until(() => pending.length === 1, 'the first read');
  // the first user signs out before the answer arrives; the second signs in
  model.stop();
  api.token.set('second-user');
  pending.shift().answer(first);
  assert.equal(await asked, null, 'the first user\'s read is dropped, not handed on');
  assert.equal(model.caseName('draft-case'), 'draft-case', 'the first user\'s case name is not kept');
  // the second user's page reads the campaign with the second user's token
  const second_ = model.campaign();
  await until(() => pending.length === 1, 'a read with the second user\'s token');
  assert.equal(pending[0].asker, 'Bearer second-user');
  pending.shift().answer(second);
  assert.deepEqual(await second_, second);
  assert.equal(model.caseName('el-hiblu-3'), 'El Hiblu 3');
  assert.equal(model.caseName('draft-case'), 'draft-case');
  model.stop();
});

test('a sign-out with a read in flight and nobody after it reads nothing more', async () => {
  api.token.set('leaving-user');
  const asked = model.campaign();
  await until(() => pending.length === 1, 'the read');
  model.stop();
  api.token.clear();
  pending.shift().answer(first);
  assert.equal(await asked, null);
  await new Promise((r) => setTimeout(r, 50));
  // a read without a token would be a 401, which the page takes for an expired session
  assert.equal(pending.length, 0, 'no read after the sign-out');
});

test('the live totals start from nothing after a sign-out', () => {
  const state = live.current();
  Object.assign(state, { total: 4496875, at: '2020-12-10T12:00:00Z', cases: { 'draft-case': 12 } });
  live.stop();
  const after = live.current();
  assert.equal(after.total, 0);
  assert.equal(after.at, null);
  assert.deepEqual(after.cases, {});
  let told = 0;
  live.subscribe(() => { told += 1; });
  assert.equal(told, 0, 'a new page is not handed the last user\'s totals');
});
