// Recording a handover (views/deliveries.js recordHandover) after an answer "outcome unknown": the delivery is read,
// and a handover that was recorded is said to be recorded. It was sent again blind, refused 409 not-planned, and the
// page said "not recorded" for a handover that was (read-only review, 6 December 2026). Against a small API on a real
// HTTP port that answers as delivery-service does, through the page's own js/api.js.
// Run: node --test staff-ui/src/test/js/ (the build runs it in staff-ui's test phase).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

const store = new Map();
globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k) };
globalThis.window = { dispatchEvent() {} };

const api = await import('../../main/resources/META-INF/resources/js/api.js');
const { recordHandover } = await import('../../main/resources/META-INF/resources/js/views/deliveries.js');

// the delivery, and how the next handover posts are answered: 'commit-lost' records it and answers outcome-unknown
const state = { status: 'planned', posts: 0, stored: 0, script: [] };
const problem = (res, status, slug) => {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'https://w4r.example.org/problems/' + slug, title: slug, status }));
};
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: 'd1', status: state.status }));
      return;
    }
    state.posts++;
    const next = state.script.shift() || 'record';
    if (state.status !== 'planned') { problem(res, 409, 'not-planned'); return; }
    if (next === 'busy') { problem(res, 503, 'counts-behind'); return; }
    state.status = 'delivered';
    state.stored++;
    if (next === 'commit-lost') { problem(res, 503, 'outcome-unknown'); return; }
    if (next === 'dropped') { req.socket.destroy(); return; } // recorded, and no answer at all
    // as delivery-service answers a handover: the delivery, with its frozen counts
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id: 'd1', status: state.status }));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const base = 'http://127.0.0.1:' + server.address().port;
const send = () => api.call(base + '/api/v1/deliveries/d1/handover', { method: 'POST', body: { deliveredBy: 'team' } });
const read = () => api.call(base + '/api/v1/deliveries/d1');
const noPause = { pause: async () => {} };

test('a handover recorded under "outcome unknown" is read back as recorded, not sent again and refused', async () => {
  Object.assign(state, { status: 'planned', posts: 0, script: ['commit-lost'] });
  const answer = await recordHandover(send, read, noPause);
  assert.equal(answer.status, 'delivered');
  assert.equal(state.posts, 1, 'sent once: the read said it was recorded');
});

test('a 503 that stored nothing is still sent again until it is recorded', async () => {
  Object.assign(state, { status: 'planned', posts: 0, script: ['busy', 'busy'] });
  let waits = 0;
  await recordHandover(send, read, { ...noPause, onWait: () => { waits++; } });
  assert.equal(state.status, 'delivered');
  assert.equal(state.posts, 3);
  assert.equal(waits, 2);
});

test('a refusal other than 503 is the answer at once', async () => {
  Object.assign(state, { status: 'cancelled', posts: 0, script: [] });
  await assert.rejects(recordHandover(send, read, noPause), (e) => e instanceof api.ApiError && e.status === 409);
  assert.equal(state.posts, 1);
});

test('an "outcome unknown" on the last try is read back too', async () => {
  Object.assign(state, { status: 'planned', posts: 0, script: ['busy', 'busy', 'busy', 'busy', 'commit-lost'] });
  const answer = await recordHandover(send, read, noPause);
  assert.equal(answer.status, 'delivered');
  assert.equal(state.posts, 5);
});

// A double click or Enter pressed twice: the second post arrives after the first recorded the handover and is refused
// 409 not-planned. The page said "Not recorded" over "Handover recorded" (read-only review): the delivery is read, and
// a delivered one is the answer for both presses.
test('two handovers sent at once both resolve as delivered; one handover is stored', async () => {
  Object.assign(state, { status: 'planned', posts: 0, stored: 0, script: [] });
  const [a, b] = await Promise.all([recordHandover(send, read, noPause), recordHandover(send, read, noPause)]);
  assert.equal(a.status, 'delivered');
  assert.equal(b.status, 'delivered');
  assert.equal(state.posts, 2);
  assert.equal(state.stored, 1);
});

test('a handover whose answer never came back is read back as recorded', async () => {
  Object.assign(state, { status: 'planned', posts: 0, stored: 0, script: ['dropped'] });
  const answer = await recordHandover(send, read, noPause);
  assert.equal(answer.status, 'delivered');
  assert.equal(state.posts, 1);
  assert.equal(state.stored, 1);
});
