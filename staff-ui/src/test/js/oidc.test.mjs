// The dashboard's PKCE sign-in (js/oidc.js) against a small identity provider on a real HTTP port: it checks what an
// IdP checks (the S256 challenge against the verifier, the client, the redirect URI, a single-use code). The browser
// globals the module reads (location, history, sessionStorage) are plain objects here; fetch and crypto are Node's.
// Run: node --test staff-ui/src/test/js/ (the build runs it in staff-ui's test phase).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash } from 'node:crypto';

const store = new Map();
globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k) };
globalThis.location = { origin: 'https://dashboard.example.org', pathname: '/', search: '', hash: '#/report',
  assign(url) { this.assigned = url; } };
globalThis.history = { replaceState(s, t, url) { const u = new URL(url, location.origin); location.search = u.search; location.hash = u.hash; } };

const oidc = await import('../../main/resources/META-INF/resources/js/oidc.js');

const codes = new Map();
const idp = http.createServer((req, res) => {
  const base = 'http://127.0.0.1:' + idp.address().port;
  if (req.url === '/realms/w4r/.well-known/openid-configuration') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ issuer: base + '/realms/w4r', authorization_endpoint: base + '/realms/w4r/auth',
      token_endpoint: base + '/realms/w4r/token' }));
    return;
  }
  if (req.method === 'POST' && req.url === '/realms/w4r/token') {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const issued = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      const s256 = (v) => createHash('sha256').update(v || '').digest('base64url');
      const ok = issued && form.get('grant_type') === 'authorization_code' && form.get('client_id') === issued.clientId
        && form.get('redirect_uri') === issued.redirectUri && s256(form.get('code_verifier')) === issued.challenge;
      res.statusCode = ok ? 200 : 400;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(ok ? { access_token: 'access-for-' + issued.clientId, token_type: 'Bearer' } : { error: 'invalid_grant' }));
    });
    return;
  }
  res.statusCode = 404;
  res.end();
});
await new Promise((resolve) => idp.listen(0, '127.0.0.1', resolve));
const issuer = 'http://127.0.0.1:' + idp.address().port + '/realms/w4r';
const config = { issuer, clientId: 'w4r-dashboard', scope: 'openid' };

/** What the IdP does at its authorization endpoint once the person has signed in: a code bound to the challenge. */
function signInAt(url) {
  const query = new URL(url).searchParams;
  assert.equal(query.get('response_type'), 'code');
  assert.equal(query.get('code_challenge_method'), 'S256');
  const code = 'code-' + Math.random();
  codes.set(code, { clientId: query.get('client_id'), redirectUri: query.get('redirect_uri'), challenge: query.get('code_challenge') });
  return { code, state: query.get('state'), redirectUri: query.get('redirect_uri') };
}

test('the S256 challenge is RFC 7636 appendix B', async () => {
  assert.equal(await oidc.challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  assert.match(oidc.randomString(32), /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(oidc.randomString(32), oidc.randomString(32));
});

test('a round trip: to the IdP with a challenge, back with a code, the code and verifier exchanged for a token', async () => {
  location.search = '';
  location.hash = '#/report';
  await oidc.begin(config);
  assert.ok(location.assigned.startsWith(issuer + '/auth?'), location.assigned);
  const back = signInAt(location.assigned);
  assert.equal(back.redirectUri, 'https://dashboard.example.org/');
  assert.ok(!location.assigned.includes(JSON.parse(sessionStorage.getItem('w4r.oidc.pending')).verifier), 'the verifier stays here');

  location.search = '?state=' + back.state + '&code=' + back.code;
  location.hash = '';
  assert.equal(await oidc.complete(config), 'access-for-w4r-dashboard');
  assert.equal(location.search, '', 'the code leaves the address bar');
  assert.equal(location.hash, '#/report', 'and the page the person was on comes back');
  assert.equal(sessionStorage.getItem('w4r.oidc.pending'), null);
});

test('a return this tab did not start, an IdP error, or a wrong verifier signs nobody in', async () => {
  location.search = '';
  assert.equal(await oidc.complete(config), null, 'an ordinary load');

  await oidc.begin(config);
  const back = signInAt(location.assigned);
  location.search = '?state=forged&code=' + back.code;
  await assert.rejects(oidc.complete(config), { key: 'signIn.oidc.notFromThisTab' });

  location.search = '?error=access_denied&state=x';
  await assert.rejects(oidc.complete(config), { key: 'signIn.oidc.refused', params: { error: 'access_denied' } });
  // words someone put in a link are not shown as the page's own
  location.search = '?error=' + encodeURIComponent('Your session expired. Paste your token at https://evil.example');
  await assert.rejects(oidc.complete(config), { key: 'signIn.oidc.refused', params: { error: 'unknown' } });

  await oidc.begin(config);
  const again = signInAt(location.assigned);
  const pending = JSON.parse(sessionStorage.getItem('w4r.oidc.pending'));
  sessionStorage.setItem('w4r.oidc.pending', JSON.stringify({ ...pending, verifier: oidc.randomString(32) }));
  location.search = '?state=' + again.state + '&code=' + again.code;
  await assert.rejects(oidc.complete(config), { key: 'signIn.oidc.noToken', params: { status: 400 } });
});

test.after(() => idp.close());
