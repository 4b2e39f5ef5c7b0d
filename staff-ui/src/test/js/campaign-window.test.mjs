// A campaign's close (and an extension's) is exclusive in petition-service and tally-service: an action at closesAt is
// refused. The campaigns page picks days, "open through the end of that day": it must send the next day's start, show
// a close as its last open day, and send a window back as it was read when its days were left as shown. Before this,
// a campaign made through the API closing at 2027-03-21T00:00Z showed 21 March and a rename sent
// 2027-03-21T23:59:59Z (open almost a day longer, unnoticed), and a day picked refused actions in its last second.
// The page's own view (js/views/admin-campaigns.js) runs here on the few DOM calls it makes, against a small API on a
// real HTTP port that records what the page sends, as case-service would receive it.
// Run: node --test staff-ui/src/test/js/ (the build runs it in staff-ui's test phase).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';

// Just the DOM the view uses: elements with properties, children, attributes, listeners and a lookup by tag.
class FakeNode {
  constructor(tag) {
    Object.assign(this, { tagName: tag.toUpperCase(), children: [], attributes: {}, listeners: {}, parent: null,
      id: '', className: '', textContent: '', value: '', type: '', name: '', required: false, maxLength: -1, pattern: '',
      autocomplete: '', htmlFor: '', checked: false, readOnly: false, size: 0, scope: '', hidden: false });
    this.classList = { add() {}, remove() {} };
  }
  appendChild(child) { child.parent = this; this.children.push(child); return child; }
  append(...nodes) { nodes.forEach((n) => this.appendChild(typeof n === 'string' ? new FakeText(n) : n)); }
  replaceChildren(...nodes) { this.children = []; this.append(...nodes); }
  remove() { if (this.parent) { this.parent.children = this.parent.children.filter((c) => c !== this); } }
  setAttribute(k, v) { this.attributes[k] = v; }
  removeAttribute(k) { delete this.attributes[k]; }
  getAttribute(k) { return k in this.attributes ? this.attributes[k] : null; }
  addEventListener(type, f) { (this.listeners[type] = this.listeners[type] || []).push(f); }
  fire(type) { (this.listeners[type] || []).forEach((f) => f({ preventDefault() {}, target: this })); }
  focus() {}
  reset() {}
  get tBodies() { return this.children.filter((c) => c.tagName === 'TBODY'); }
  get selectedOptions() { return this.children.filter((c) => c.value === this.value); }
  querySelector(tag) { return find(this, (n) => n.tagName === tag.toUpperCase()); }
}
class FakeText extends FakeNode {
  constructor(text) { super('#text'); this.textContent = text; }
}
function find(root, match) {
  for (const child of root.children) {
    if (match(child)) { return child; }
    const found = find(child, match);
    if (found) { return found; }
  }
  return null;
}
globalThis.Node = FakeNode;
globalThis.document = { createElement: (tag) => new FakeNode(tag), createTextNode: (text) => new FakeText(text),
  body: new FakeNode('body') };
const store = new Map();
globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k) };
globalThis.window = { dispatchEvent() {} };

// case-service's campaigns as it lists them; what the page sends, by method
const campaign = { campaignId: 'w4r-2027', name: 'Write for Rights 2027', opensAt: '2026-11-20T12:00:00Z',
  closesAt: '2027-03-21T00:00:00Z', current: true, extensions: [], version: 1796384151123456 };
const sent = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/config') { res.end(JSON.stringify({ caseService: base })); return; }
    if (req.method !== 'GET') { sent.push({ method: req.method, url: req.url, body: JSON.parse(body) }); }
    if (req.url === '/api/v1/entities') { res.end(JSON.stringify([{ entityId: 'ai-malta', name: 'Amnesty Malta' }])); return; }
    if (req.url === '/api/v1/campaigns' && req.method === 'GET') { res.end(JSON.stringify([campaign])); return; }
    res.end(JSON.stringify(Object.assign({}, campaign, req.method === 'POST' ? JSON.parse(body) : {})));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = 'http://127.0.0.1:' + server.address().port;
after(() => server.close());
// the page asks for its configuration at /config, relative to where it is served
const realFetch = globalThis.fetch;
globalThis.fetch = (url, options) => realFetch(url.startsWith('/') ? base + url : url, options);

const api = await import('../../main/resources/META-INF/resources/js/api.js');
const admin = await import('../../main/resources/META-INF/resources/js/admin.js');
const i18n = await import('../../main/resources/META-INF/resources/js/i18n.js');
const campaigns = await import('../../main/resources/META-INF/resources/js/views/admin-campaigns.js');
const english = JSON.parse(readFileSync(new URL('../../main/resources/META-INF/resources/i18n/en.json', import.meta.url), 'utf8'));
i18n.use('en', english, english);
api.token.set('case-manager-token');

// the page loads and sends asynchronously: wait (bounded) for what it must come to, as Awaitility would
async function until(what, condition) {
  for (let i = 0; i < 2000; i += 1) {
    const value = condition();
    if (value) { return value; }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('never came: ' + what);
}
const byId = (root, id) => find(root, (n) => n.id === id);

async function page() {
  const view = new FakeNode('main');
  campaigns.render(view);
  const manage = await until('the campaign listed', () => find(view,
    (n) => n.getAttribute('aria-label') === i18n.t('admin.manageOf', { name: campaign.name })));
  return { view, manage };
}

async function sentAfter(count) {
  return until('the page to send', () => sent[count]);
}

test('a campaign made through the API closing at midnight shows its last open day and a rename sends it back as it was', async () => {
  const { view, manage } = await page();
  manage.fire('click');
  const closes = byId(view, 'edit-campaign-closes');
  assert.equal(closes.value, '2027-03-20', 'open through 20 March: actions at 2027-03-21T00:00Z are refused');
  assert.equal(byId(view, 'edit-campaign-opens').value, '2026-11-20');

  const before = sent.length;
  byId(view, 'edit-campaign-name').value = 'Write for Rights 2027 (renamed)';
  byId(view, 'campaign-edit').fire('submit');
  const edit = await sentAfter(before);
  assert.equal(edit.method, 'PATCH');
  assert.deepEqual(edit.body, { name: 'Write for Rights 2027 (renamed)', opensAt: '2026-11-20T12:00:00Z',
    closesAt: '2027-03-21T00:00:00Z' }, 'the window byte-identical: a rename moves nothing');
});

test('a close day picked in an edit, a new campaign or an extension is open through its end: the next day at 00:00Z', async () => {
  const { view, manage } = await page();
  manage.fire('click');
  let before = sent.length;
  byId(view, 'edit-campaign-closes').value = '2027-03-31';
  const form = byId(view, 'campaign-edit');
  form.fire('submit');
  let body = (await sentAfter(before)).body;
  assert.equal(body.closesAt, '2027-04-01T00:00:00Z');
  assert.equal(body.opensAt, '2026-11-20T12:00:00Z', 'the opening day left as shown is sent as it was read');
  // once saved, the page reads the campaign again and shows a new form: wait for it, so it cannot land later
  await until('the campaign read again', () => byId(view, 'campaign-edit') !== form);

  before = sent.length;
  byId(view, 'campaign-id').value = 'w4r-2028';
  byId(view, 'campaign-name').value = 'Write for Rights 2028';
  byId(view, 'campaign-opens').value = '2027-11-20';
  byId(view, 'campaign-closes').value = '2028-02-28';
  byId(view, 'campaign-form').fire('submit');
  body = (await sentAfter(before)).body;
  assert.equal(body.opensAt, '2027-11-20T00:00:00Z');
  assert.equal(body.closesAt, '2028-02-29T00:00:00Z', 'through 28 February, in a leap year');
  // the page then shows the campaign it made (not in this API's list: nothing below the table); wait for that first
  await until('the new campaign shown', () => byId(view, 'campaign-edit') === null);

  manage.fire('click');
  before = sent.length;
  assert.equal(byId(view, 'extension-until').value, '2027-03-20', 'an extension starts from the last open day');
  byId(view, 'extension-entity').value = 'ai-malta';
  byId(view, 'extension-until').value = '2027-12-31';
  byId(view, 'extension-form').fire('submit');
  const extension = await sentAfter(before);
  assert.equal(extension.method, 'PUT');
  assert.deepEqual(extension.body, { closesAt: '2028-01-01T00:00:00Z' });
});

test('the day helpers: a picked day closes at the next day\'s start, and that close shows the picked day again', () => {
  for (const day of ['2027-03-21', '2027-12-31', '2028-02-28', '2028-02-29']) {
    const closes = admin.closeAfter(day);
    assert.match(closes, /^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
    assert.equal(Date.parse(closes) - Date.parse(day + 'T00:00:00Z'), 86400000, day);
    assert.equal(admin.lastOpenDay(closes), day);
  }
  // a close the API set inside a day, or to the microsecond, shows that day (or the one before midnight) and comes back
  for (const closesAt of ['2027-03-21T18:30:00Z', '2027-03-21T00:00:00.000001Z', '2027-03-21T00:00:00.500Z']) {
    const was = { opensAt: '2026-11-20T00:00:00Z', closesAt };
    assert.equal(admin.windowSent(was, '2026-11-20', admin.lastOpenDay(closesAt)).closesAt, closesAt);
  }
  assert.equal(admin.lastOpenDay('2027-03-21T18:30:00Z'), '2027-03-21');
});
