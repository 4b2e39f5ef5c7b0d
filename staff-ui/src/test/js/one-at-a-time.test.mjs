// Writes from buttons go one at a time (js/admin.js oneAtATime): issuing a staff token or an entity key, recording a
// handover, planning a delivery, placing a hold, invalidating. A double click issued two live credentials and the page
// showed only the second one's secret (read-only review). Against a small API on a real HTTP port that issues tokens
// as case-service does (each POST a new live token), through the page's own js/api.js.
// Run: node --test staff-ui/src/test/js/ (the build runs it in staff-ui's test phase).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

const store = new Map();
globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k) };
globalThis.window = { dispatchEvent() {} };

const api = await import('../../main/resources/META-INF/resources/js/api.js');
const { oneAtATime } = await import('../../main/resources/META-INF/resources/js/admin.js');

const issued = [];
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    issued.push('k' + (issued.length + 1));
    setTimeout(() => { // a token takes a moment: its hash is stored and audited
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keyId: issued.at(-1), token: 'secret-' + issued.at(-1) }));
    }, 30);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const url = 'http://127.0.0.1:' + server.address().port + '/api/v1/staff';

test('a double click issues one token, and both clicks get its secret', async () => {
  issued.length = 0;
  const button = { disabled: false };
  const issue = oneAtATime(() => api.call(url, { method: 'POST', body: { principal: 'amina', role: 'moderator' } }), [button]);
  const first = issue();
  const second = issue();
  assert.equal(button.disabled, true, 'disabled while the token is on its way');
  const [a, b] = await Promise.all([first, second]);
  assert.deepEqual(issued, ['k1'], 'one live token');
  assert.equal(a.token, 'secret-k1');
  assert.equal(b.token, 'secret-k1', 'the secret shown is the one token issued');
  assert.equal(button.disabled, false);
  await issue();
  assert.deepEqual(issued, ['k1', 'k2'], 'a press after the answer is another token');
});

test('a failed write frees the buttons, even one that fails at once; the buttons are named when pressed', async () => {
  const buttons = [{ disabled: false }];
  let after = 0;
  const fail = oneAtATime(() => { throw new Error('refused'); }, () => buttons, () => { after++; });
  await assert.rejects(fail(), /refused/);
  assert.equal(buttons[0].disabled, false);
  assert.equal(after, 1);
  buttons.push({ disabled: false }); // a row drawn since
  let release;
  const slow = oneAtATime(() => new Promise((r) => { release = r; }), () => buttons);
  const running = slow();
  await null;
  assert.deepEqual(buttons.map((b) => b.disabled), [true, true]);
  release('done');
  assert.equal(await running, 'done');
  assert.deepEqual(buttons.map((b) => b.disabled), [false, false]);
});
