// The admin pages' edits name the version of the record the page showed (js/api.js sends it as If-Match), and an edit
// refused because a colleague changed the record since (412 edited-since) is said, then the record is read again
// (js/admin.js notSaved). Against a small API on a real HTTP port that answers as case-service does: a stale If-Match
// is refused and changes nothing, a current one or none is applied and moves the version on.
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
const admin = await import('../../main/resources/META-INF/resources/js/admin.js');
const i18n = await import('../../main/resources/META-INF/resources/js/i18n.js');
const english = JSON.parse(readFileSync(new URL('../../main/resources/META-INF/resources/i18n/en.json', import.meta.url), 'utf8'));
i18n.use('en', english, english);

// a case's version is its revision, from the clock in microseconds: larger than an int, still exact in a JS number
const record = { name: 'Gustavo Gatica', version: 1796384151123456 };
const sent = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const ifMatch = req.headers['if-match'];
    sent.push(ifMatch);
    res.setHeader('Content-Type', 'application/json');
    if (req.method === 'PATCH') {
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== '"' + record.version + '"') {
        res.statusCode = 412;
        res.setHeader('Content-Type', 'application/problem+json');
        res.end(JSON.stringify({ type: 'https://w4r.example.org/problems/edited-since', title: 'Changed since it was read',
          status: 412, detail: 'case is at version ' + record.version, currentVersion: record.version }));
        return;
      }
      Object.assign(record, JSON.parse(body), { version: record.version + 1 });
    }
    res.setHeader('ETag', '"' + record.version + '"');
    res.end(JSON.stringify(record));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = 'http://127.0.0.1:' + server.address().port + '/api/v1/cases/gustavo-gatica';
api.token.set('case-manager-token');
after(() => server.close());

test('an edit sends the version the page showed as If-Match; a call without one sends none', async () => {
  const shown = await api.call(url);
  const saved = await api.call(url, { method: 'PATCH', body: { name: 'Gustavo Gatica Villarroel' }, version: shown.version });
  assert.equal(sent.at(-1), '"' + shown.version + '"');
  assert.equal(saved.version, shown.version + 1);
  await api.call(url, { method: 'PATCH', body: { name: 'Gustavo Gatica' } });
  assert.equal(sent.at(-1), undefined, 'no version, no precondition');
  await api.call(url, { method: 'PATCH', body: { name: 'Gustavo Gatica' }, version: null });
  assert.equal(sent.at(-1), undefined);
});

test('of two pages showing one version, the second edit is refused, said as such, and the record read again', async () => {
  const first = await api.call(url);
  const second = await api.call(url);
  await api.call(url, { method: 'PATCH', body: { name: 'First editor' }, version: first.version });
  const refused = await api.call(url, { method: 'PATCH', body: { name: 'Second editor' }, version: second.version })
    .then(() => null, (e) => e);
  assert.ok(refused instanceof api.ApiError, 'refused');
  assert.equal(refused.status, 412);
  assert.equal(refused.problem.currentVersion, first.version + 1);
  assert.equal((await api.call(url)).name, 'First editor', 'the first edit stays');

  let said = '';
  let reread = 0;
  const status = { failed(text) { said = text; } };
  await admin.notSaved(status, refused, async () => { reread += 1; });
  assert.ok(said.includes(english['admin.problem.edited-since']), said);
  assert.equal(reread, 1, 'the page reads the record again');

  await admin.notSaved(status, new api.ApiError(409, { type: 'https://w4r.example.org/problems/invalid-transition' }),
    async () => { reread += 1; });
  assert.ok(said.includes(english['admin.problem.invalid-transition']), said);
  assert.equal(reread, 1, 'another refusal leaves the page as it is');
});
