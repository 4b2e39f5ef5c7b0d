// Staff sign-in through the organisation's identity provider: the OAuth 2.0 authorization code flow with PKCE
// (RFC 7636) as a public client, since a browser can keep no client secret. Hand-written because it is small and the
// page loads no third-party code besides Chart.js (script-src 'self'). The access token it gets is used exactly as a
// pasted staff token: kept in this tab's sessionStorage, sent as the bearer to the four services.
const PENDING = 'w4r.oidc.pending';

/** What went wrong, as the key of its message in the page's bundles (js/i18n.js), and that message's parameters. */
function failure(key, params) {
  const error = new Error(key);
  error.key = key;
  error.params = params || {};
  return error;
}

export function base64url(bytes) {
  let text = '';
  new Uint8Array(bytes).forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random verifier or state: 32 bytes is 43 characters, the shortest verifier RFC 7636 allows. */
export function randomString(bytes) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes || 32)));
}

/** S256: base64url(SHA-256(verifier)). */
export async function challenge(verifier) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

export const redirectUri = () => location.origin + location.pathname;

async function discover(issuer) {
  const response = await fetch(issuer + '/.well-known/openid-configuration', { credentials: 'omit' });
  if (!response.ok) { throw failure('signIn.oidc.unreachable', { status: response.status }); }
  const meta = await response.json();
  if (!meta.authorization_endpoint || !meta.token_endpoint) {
    throw failure('signIn.oidc.noEndpoints');
  }
  return meta;
}

/** The URL that asks the IdP to sign the person in; what the return must match is kept in this tab. */
export async function authorizationUrl(config, meta) {
  const verifier = randomString(32);
  const state = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, issuer: config.issuer, hash: location.hash }));
  const params = new URLSearchParams({ response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(),
    scope: config.scope, state, code_challenge: await challenge(verifier), code_challenge_method: 'S256' });
  const endpoint = meta.authorization_endpoint;
  return endpoint + (endpoint.includes('?') ? '&' : '?') + params.toString();
}

/** Leaves the page for the IdP's sign-in. */
export async function begin(config) {
  location.assign(await authorizationUrl(config, await discover(config.issuer)));
}

// The codes RFC 6749 4.1.2.1 and OpenID Connect Core 3.1.2.6 define; anything else in ?error= was not written by an
// IdP but by whoever made the link, and the page must not show their words as its own ("Your session expired: paste
// your token at ..."; injection audit, 4 December 2026).
const ERROR_CODES = new Set(['invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type',
  'invalid_scope', 'server_error', 'temporarily_unavailable', 'interaction_required', 'login_required',
  'account_selection_required', 'consent_required', 'invalid_request_uri', 'invalid_request_object',
  'request_not_supported', 'request_uri_not_supported', 'registration_not_supported']);
export const errorCode = (error) => (ERROR_CODES.has(error) ? error : 'unknown');

/**
 * On the way back from the IdP (?code=&state= or ?error=): the access token, or null when this load is not a return.
 * The code leaves the address bar and history at once; a state this tab did not send is refused (RFC 6749 10.12).
 */
export async function complete(config) {
  const query = new URLSearchParams(location.search);
  if (!query.has('code') && !query.has('error')) { return null; }
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname + ((pending && pending.hash) || ''));
  if (query.has('error')) { throw failure('signIn.oidc.refused', { error: errorCode(query.get('error')) }); }
  if (!pending || pending.state !== query.get('state') || pending.issuer !== config.issuer) {
    throw failure('signIn.oidc.notFromThisTab');
  }
  const meta = await discover(config.issuer);
  const response = await fetch(meta.token_endpoint, {
    method: 'POST', credentials: 'omit',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(),
      client_id: config.clientId, code_verifier: pending.verifier }),
  });
  const tokens = response.ok ? await response.json() : null;
  if (!tokens || !tokens.access_token) {
    throw failure('signIn.oidc.noToken', { status: response.status });
  }
  return tokens.access_token;
}
