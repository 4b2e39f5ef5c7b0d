// The entity portal's offline counts and their corrections (views/portal-counts.js) carry an Idempotency-Key, one per
// filled form: after an answer that leaves the outcome unknown (503 outcome-unknown, a network error) the form is
// still filled, and pressing again must not count it twice. Against a small API on a real HTTP port that answers as
// petition-service does (the first answer under a key is stored with its effect, the same key gets it again), through
// the page's own js/api.js and the view's own writes.
// Run: node --test staff-ui/src/test/js/ (the build runs it in staff-ui's test phase).
import { test, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

const store = new Map();
globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k) };
globalThis.window = { dispatchEvent() {} };

const api = await import('../../main/resources/META-INF/resources/js/api.js');
const { countReport, countCorrection } = await import('../../main/resources/META-INF/resources/js/views/portal-counts.js');

// what petition-service stored: the counts, the corrections, and each key's answer; how the next writes are answered
const state = { counts: [], corrections: [], answers: new Map(), keys: [], script: [] };
const problem = (res, status, slug) => {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'https://w4r.example.org/problems/' + slug, title: slug, status }));
};
const server = http.createServer((req, res) => {
  let text = '';
  req.on('data', (c) => { text += c; });
  req.on('end', () => {
    const key = req.headers['idempotency-key'];
    state.keys.push(key);
    if (key && state.answers.has(key)) { // a replay: the stored answer, nothing written
      const stored = state.answers.get(key);
      res.writeHead(stored.status, { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' });
      res.end(JSON.stringify(stored.body));
      return;
    }
    const next = state.script.shift() || 'store';
    if (next === 'busy') { problem(res, 503, 'database-unavailable'); return; } // nothing stored
    const body = JSON.parse(text);
    let answer;
    if (req.url === '/api/v1/offline-counts') {
      state.counts.push(body);
      answer = { status: 202, body: { accepted: 1, results: [{ actionId: 'c' + state.counts.length }] } };
    } else {
      state.corrections.push(body);
      answer = { status: 201, body: { net: 40 + state.corrections.reduce((n, c) => n + c.delta, 0) } };
    }
    if (key) { state.answers.set(key, answer); }
    if (next === 'commit-lost') { problem(res, 503, 'outcome-unknown'); return; } // stored, but the answer is lost
    if (next === 'dropped') { req.socket.destroy(); return; } // stored, and no answer at all
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const base = 'http://127.0.0.1:' + server.address().port;
// the page's /config, naming this API as petition-service
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => (url === '/config'
  ? Promise.resolve(new Response(JSON.stringify({ petitionService: base, caseService: base, tallyService: base,
    deliveryService: base }), { headers: { 'Content-Type': 'application/json' } }))
  : realFetch(url, init));
api.token.set('entity-key');

beforeEach(() => Object.assign(state, { counts: [], corrections: [], answers: new Map(), keys: [], script: [] }));
const form = () => ({ type: 'letter', count: 120, event: { name: 'Vigil, Place de la République', date: '2026-11-28', place: null } });

test('a count answered "outcome unknown" and sent again is stored once: the retry carries the same key', async () => {
  state.script = ['commit-lost'];
  const report = countReport();
  await assert.rejects(report(form()), (e) => api.uncertain(e) && e.status === 503);
  const answer = await report(form()); // the same form, pressed again
  assert.equal(answer.accepted, 1);
  assert.equal(state.counts.length, 1, 'counted once');
  assert.equal(state.keys.length, 2);
  assert.ok(state.keys[0], 'sent with an Idempotency-Key');
  assert.equal(state.keys[1], state.keys[0], 'the retry is the same write');
});

test('a network error after the count was stored: sent again, still one count', async () => {
  state.script = ['dropped'];
  const report = countReport();
  await assert.rejects(report(form()), (e) => api.uncertain(e));
  await report(form());
  assert.equal(state.counts.length, 1);
  assert.equal(state.keys[1], state.keys[0]);
});

test('a changed field is another count, with another key; after a stored one, the next is new too', async () => {
  state.script = ['busy'];
  const report = countReport();
  await assert.rejects(report(form()), (e) => e.status === 503 && !api.uncertain(e));
  await report({ ...form(), count: 121 }); // corrected before sending again: a different count
  await report(form());
  await report(form()); // the same event reported twice on purpose, each after the other was stored
  assert.deepEqual(state.counts.map((c) => c.count), [121, 120, 120]);
  assert.equal(new Set(state.keys).size, 4, 'every write its own key');
});

test('a correction answered "outcome unknown" and sent again is applied once', async () => {
  state.script = ['commit-lost'];
  const correct = countCorrection('0b7f6d0e-0c5a-4c27-9d0e-0d1d3a3e6f10');
  await assert.rejects(correct({ delta: -3, reason: 'three cards counted twice' }), (e) => api.uncertain(e));
  const answer = await correct({ delta: -3, reason: 'three cards counted twice' });
  assert.equal(answer.net, 37);
  assert.equal(state.corrections.length, 1);
  assert.equal(state.keys[1], state.keys[0]);
});
