// A moderator's decision on one message (views/moderation.js decideOnce) after an answer that left the outcome unknown,
// or a 409 already-reviewed. The decision takes no Idempotency-Key but is taken once, so it is sent once more: a stored
// one answers 409 already-reviewed with the status it left. The page said "Not saved" for a decision that was, and
// kept the message in the queue (read-only review). Against a small API on a real HTTP port that answers as
// petition-service does, through the page's own js/api.js.
// Run: node --test staff-ui/src/test/js/ (the build runs it in staff-ui's test phase).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

const store = new Map();
globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k) };
globalThis.window = { dispatchEvent() {} };

const api = await import('../../main/resources/META-INF/resources/js/api.js');
const { decideOnce } = await import('../../main/resources/META-INF/resources/js/views/moderation.js');

// the message, and how the next decisions are answered
const state = { status: 'pending', reviewedBy: null, decisions: 0, posts: 0, script: [] };
const problem = (res, status, slug, extra) => {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'https://w4r.example.org/problems/' + slug, title: slug, status, ...extra }));
};
const server = http.createServer((req, res) => {
  let text = '';
  req.on('data', (c) => { text += c; });
  req.on('end', () => {
    state.posts++;
    const next = state.script.shift() || 'decide';
    if (next === 'away') { problem(res, 503, 'database-unavailable'); return; }
    if (next === 'dropped-before') { req.socket.destroy(); return; } // never reached the database
    if (state.status !== 'pending') {
      problem(res, 409, 'already-reviewed', { detail: 'message m1 was ' + state.status + ' by ' + state.reviewedBy,
        reviewStatus: state.status });
      return;
    }
    state.status = JSON.parse(text).decision === 'approve' ? 'approved' : 'rejected';
    state.reviewedBy = 'moderator-1';
    state.decisions++;
    if (next === 'commit-lost') { problem(res, 503, 'outcome-unknown'); return; }
    if (next === 'dropped') { req.socket.destroy(); return; }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ messageId: 'm1', status: state.status }));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const url = 'http://127.0.0.1:' + server.address().port + '/api/v1/messages/m1/decision';
const approve = () => api.call(url, { method: 'POST', body: { decision: 'approve' } });
const reset = (script, status = 'pending') => Object.assign(state, { status, reviewedBy: status === 'pending' ? null : 'moderator-2',
  decisions: 0, posts: 0, script });

test('an approval stored under "outcome unknown" is decided, not "not saved"', async () => {
  reset(['commit-lost']);
  assert.deepEqual(await decideOnce(approve, 'approve'), { outcome: 'decided' });
  assert.equal(state.decisions, 1);
  assert.equal(state.posts, 2, 'sent once more, answered already-reviewed: approved');
});

test('an approval whose answer was lost on the network is decided too; one that never arrived is taken now', async () => {
  reset(['dropped']);
  assert.equal((await decideOnce(approve, 'approve')).outcome, 'decided');
  reset(['dropped-before']);
  assert.equal((await decideOnce(approve, 'approve')).outcome, 'decided');
  assert.equal(state.decisions, 1);
});

test('a message reviewed by someone else is "reviewed", with the status it was left in', async () => {
  reset([], 'rejected');
  const answer = await decideOnce(approve, 'approve');
  assert.equal(answer.outcome, 'reviewed');
  assert.equal(answer.reviewStatus, 'rejected');
  assert.match(answer.error.message, /rejected by moderator-2/);
  assert.equal(state.posts, 1);
});

test('twice no answer is unknown; any other refusal is thrown', async () => {
  reset(['dropped-before', 'dropped-before']);
  assert.equal((await decideOnce(approve, 'approve')).outcome, 'unknown');
  reset(['away']);
  await assert.rejects(decideOnce(approve, 'approve'), (e) => e.status === 503);
  assert.equal(state.posts, 1);
});
