// A hold placed or lifted (views/holds.js changeHold) and a key revoked (views/admin-entities.js revokeKey) that
// case-service stored but could not put on Kafka within its wait: 202 with W4R-Propagated: false. The other services do
// not enforce it until its relay gets it there, and the page said "Hold placed" as if they did (read-only review).
// Against a small API on a real HTTP port that answers as case-service does, through the page's own js/api.js.
// Run: node --test staff-ui/src/test/js/ (the build runs it in staff-ui's test phase).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';

const store = new Map();
globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k) };
globalThis.window = { dispatchEvent() {} };

const api = await import('../../main/resources/META-INF/resources/js/api.js');
const i18n = await import('../../main/resources/META-INF/resources/js/i18n.js');
const { changeHold } = await import('../../main/resources/META-INF/resources/js/views/holds.js');
const { revokeKey } = await import('../../main/resources/META-INF/resources/js/views/admin-entities.js');
const english = JSON.parse(readFileSync(new URL('../../main/resources/META-INF/resources/i18n/en.json', import.meta.url), 'utf8'));
i18n.use('en', english, english);

// whether the relay gets the next change onto Kafka within case-service's wait
const relay = { inTime: true, requests: [] };
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    relay.requests.push(req.method + ' ' + req.url);
    const propagated = relay.inTime;
    if (req.method === 'DELETE' && req.url.includes('/keys/')) { // a revocation: no body
      res.writeHead(propagated ? 204 : 202, { 'W4R-Propagated': String(propagated) });
      res.end();
      return;
    }
    res.writeHead(propagated ? 200 : 202, { 'Content-Type': 'application/json', 'W4R-Propagated': String(propagated) });
    res.end(JSON.stringify({ caseId: 'gustavo-gatica', hold: req.method === 'PUT' ? { holdId: 7 } : null }));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const base = 'http://127.0.0.1:' + server.address().port;
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => (url === '/config'
  ? Promise.resolve(new Response(JSON.stringify({ caseService: base, petitionService: base, tallyService: base,
    deliveryService: base }), { headers: { 'Content-Type': 'application/json' } }))
  : realFetch(url, init));
api.token.set('case-manager-token');

const open = { caseId: 'gustavo-gatica', name: 'Gustavo Gatica', hold: null };
const held = { ...open, hold: { holdId: 7 } };

test('a hold on Kafka in time is "placed"; one still on its way is said to be stored and still reaching the services', async () => {
  relay.inTime = true;
  assert.equal(await changeHold(open, 'threats after the march'), 'Hold placed on Gustavo Gatica.');
  relay.inTime = false;
  const said = await changeHold(open, 'threats after the march');
  assert.equal(said, english['holds.placedPropagating'].replace('{name}', 'Gustavo Gatica'));
  assert.match(said, /still reaching the other services/);
  assert.equal(relay.requests.at(-1), 'PUT /api/v1/cases/gustavo-gatica/hold');
});

test('a lift still on its way is said so too', async () => {
  relay.inTime = false;
  assert.equal(await changeHold(held), english['holds.liftedPropagating'].replace('{name}', 'Gustavo Gatica'));
  assert.equal(relay.requests.at(-1), 'DELETE /api/v1/cases/gustavo-gatica/hold?holdId=7');
  relay.inTime = true;
  assert.equal(await changeHold(held), 'Hold lifted on Gustavo Gatica.');
});

test('a revocation answered 202 is still on its way; 204 is refused everywhere', async () => {
  relay.inTime = false;
  assert.equal(await revokeKey('amnesty-fr', 'k2'), 'propagating');
  relay.inTime = true;
  assert.equal(await revokeKey('amnesty-fr', 'k2'), 'revoked');
});

test('a call made with full gives the status and the headers with the body; without, the body alone', async () => {
  relay.inTime = false;
  const whole = await api.call(base + '/api/v1/cases/gustavo-gatica/hold', { method: 'PUT', body: { reason: 'r' }, full: true });
  assert.equal(whole.status, 202);
  assert.equal(whole.headers.get('W4R-Propagated'), 'false');
  assert.equal(whole.body.hold.holdId, 7);
  assert.equal(api.propagating(whole), true);
  const body = await api.call(base + '/api/v1/cases/gustavo-gatica/hold', { method: 'PUT', body: { reason: 'r' } });
  assert.equal(body.hold.holdId, 7);
});
