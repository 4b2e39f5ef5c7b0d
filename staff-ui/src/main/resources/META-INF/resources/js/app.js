// Sign-in, role-dependent navigation and a hash router. Each view renders into <main> and returns its cleanup.
import { el } from './dom.js';
import * as i18n from './i18n.js';
import { t, term } from './i18n.js';
import { token, tally, tallyService, campaign, serviceUrls } from './api.js';
import * as oidc from './oidc.js';
import * as live from './live.js';
import * as model from './model.js';
import { mountBanners, mountTrendBanner } from './banners.js';
import * as overview from './views/overview.js';
import * as casePage from './views/case.js';
import * as entityPage from './views/entity.js';
import * as report from './views/report.js';
import * as moderation from './views/moderation.js';
import * as holds from './views/holds.js';
import * as deliveries from './views/deliveries.js';
import * as invalidations from './views/invalidations.js';
import * as anomalies from './views/anomalies.js';
import * as audit from './views/audit.js';
import * as retention from './views/retention.js';
import * as world from './views/world.js';
import * as portal from './views/portal.js';
import * as portalCounts from './views/portal-counts.js';
import * as portalKeys from './views/portal-keys.js';
import * as adminCampaigns from './views/admin-campaigns.js';
import * as adminCases from './views/admin-cases.js';
import * as adminEntities from './views/admin-entities.js';
import * as adminStaff from './views/admin-staff.js';
import * as adminImport from './views/admin-import.js';
import * as adminHolds from './views/admin-holds.js';

const STAFF = ['coordinator', 'case-manager', 'delivery', 'moderator'];
const ENTITY = 'entity'; // an entity key: the entity portal, and none of the staff's pages
// Which pages each role sees; the services enforce the same roles on every call anyway.
const PAGES = [
  { route: 'overview', roles: STAFF, view: overview },
  { route: 'world', roles: STAFF, view: world },
  { route: 'report', roles: ['coordinator'], view: report },
  { route: 'anomalies', roles: ['coordinator'], view: anomalies },
  { route: 'invalidations', roles: ['coordinator'], view: invalidations },
  { route: 'audit', roles: ['coordinator'], view: audit },
  { route: 'retention', roles: ['coordinator'], view: retention },
  { route: 'moderation', roles: ['moderator'], view: moderation },
  { route: 'holds', roles: ['case-manager'], view: holds },
  { route: 'campaigns', roles: ['case-manager'], view: adminCampaigns },
  { route: 'cases', roles: ['case-manager'], view: adminCases },
  { route: 'entities', roles: ['case-manager'], view: adminEntities },
  { route: 'staff', roles: ['case-manager'], view: adminStaff },
  { route: 'import', roles: ['case-manager'], view: adminImport },
  { route: 'hold-history', roles: ['case-manager'], view: adminHolds },
  { route: 'deliveries', roles: ['delivery'], view: deliveries },
  { route: 'portal', roles: [ENTITY], view: portal },
  { route: 'portal-counts', roles: [ENTITY], view: portalCounts },
  { route: 'portal-keys', roles: [ENTITY], view: portalKeys },
];
const DETAIL = { case: casePage, entity: entityPage };

const signIn = document.getElementById('sign-in');
const error = document.getElementById('sign-in-error');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const view = document.getElementById('view');
let me = null;
let cleanup = null;
let unbanner = null;

function route() {
  const home = me && me.role === ENTITY ? 'portal' : 'overview';
  const [name, ...rest] = (location.hash.replace(/^#\/?/, '') || home).split('/');
  return { name, arg: rest.length ? decodeURIComponent(rest.join('/')) : null };
}

function render() {
  if (!me) { return; }
  if (cleanup) { cleanup(); cleanup = null; }
  view.replaceChildren();
  const { name, arg } = route();
  const page = PAGES.find((p) => p.route === name && p.roles.includes(me.role));
  nav.querySelectorAll('a').forEach((a) => a.toggleAttribute('aria-current', a.dataset.route === name));
  if (page) { cleanup = page.view.render(view, arg); }
  else if (DETAIL[name] && arg && STAFF.includes(me.role)) { cleanup = DETAIL[name].render(view, arg, me.role); }
  else { view.append(el('h2', { tabindex: '-1', text: t('app.notAvailable') }), el('p', { text: t('app.notAvailableHelp') })); }
  const heading = view.querySelector('h2');
  if (heading && document.activeElement !== document.getElementById('token')) { heading.focus({ preventScroll: true }); }
  document.title = heading ? t('app.pageTitle', { page: heading.textContent }) : t('app.title');
}

async function enter() {
  try {
    me = await tallyService('/api/v1/me');
  } catch (e) {
    signOut(e.status === 401 ? t('signIn.refused') : t('signIn.failed', { reason: e.message }));
    return;
  }
  const staff = STAFF.includes(me.role);
  if (!staff && me.role !== ENTITY) {
    // signed in through the IdP without exactly one staff role (the services answer 403 to such a person anyway)
    signOut(t('signIn.noRole'));
    return;
  }
  signIn.hidden = true;
  document.body.classList.add('signed-in');
  who.textContent = staff ? t('header.who', { principal: me.principal, role: term('role', me.role) })
    : t('portal.who', { entity: me.entityId });
  nav.replaceChildren(...PAGES.filter((p) => p.roles.includes(me.role)).map((p) =>
    el('li', {}, el('a', { href: '#/' + p.route, 'data-route': p.route, text: t('nav.' + p.route) }))));
  document.getElementById('signed-in').hidden = false;
  // the campaign picker, the live stream and the hold banners read staff endpoints: an entity's portal has its own
  document.getElementById('campaign-pick').hidden = !staff;
  if (!staff) {
    render();
    return;
  }
  await campaigns();
  live.start();
  const unholds = mountBanners(document.getElementById('banners'));
  const untrend = me.role === 'coordinator' ? mountTrendBanner(document.getElementById('trend-banner')) : () => {};
  unbanner = () => { unholds(); untrend(); };
  render();
}

// The campaign picker: the current campaign by default; a replay of 2020 or last year's campaign on demand.
async function campaigns() {
  const select = document.getElementById('campaign');
  const list = await tallyService('/api/v1/dashboard/campaigns').catch(() => []); // every campaign, whichever is chosen
  select.replaceChildren(el('option', { value: '', text: t('header.currentCampaign') }),
    ...list.map((c) => el('option', { value: c.campaignId,
      text: c.current ? t('header.campaignCurrent', { name: c.name || c.campaignId }) : c.name || c.campaignId })));
  if (![...select.options].some((o) => o.value === campaign.get())) { campaign.set(''); }
  select.value = campaign.get();
}

document.getElementById('campaign').addEventListener('change', (event) => {
  campaign.set(event.target.value);
  live.start();
  model.reload().catch(() => {});
  render();
});

function signOut(reason) {
  token.clear();
  me = null;
  live.stop();
  model.stop();
  if (unbanner) { unbanner(); }
  if (cleanup) { cleanup(); cleanup = null; }
  view.replaceChildren();
  document.getElementById('banners').replaceChildren();
  document.getElementById('signed-in').hidden = true;
  document.body.classList.remove('signed-in');
  signIn.hidden = false;
  error.textContent = reason || '';
  document.getElementById('token').focus();
}

signIn.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = document.getElementById('token').value.trim();
  document.getElementById('token').value = '';
  if (!value) { return; }
  token.set(value);
  error.textContent = '';
  enter();
});
document.getElementById('sign-out').addEventListener('click', () => signOut(t('signIn.signedOut')));
window.addEventListener('hashchange', render);
window.addEventListener('w4r-unauthorized', () => signOut(t('signIn.expired')));
// Any blocked script, style or connection would show here (the browser tests read it).
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));

// With OIDC configured, the page may be the IdP's redirect back: finish that first, then go on as with a token.
async function start() {
  let config = null;
  try { config = await serviceUrls(); } catch (e) { config = null; }
  if (config && config.oidc) {
    document.getElementById('oidc').hidden = false;
    document.getElementById('oidc-sign-in').addEventListener('click', () => {
      error.textContent = '';
      oidc.begin(config.oidc).catch((e) => { error.textContent = oidcMessage(e); });
    });
    try {
      const access = await oidc.complete(config.oidc);
      if (access) { token.set(access); }
    } catch (e) {
      signIn.hidden = false;
      error.textContent = oidcMessage(e);
      return;
    }
  }
  if (token.get()) { enter(); } else { signIn.hidden = false; }
}

// oidc.js names what went wrong by a message key (it runs without the bundles in its own tests)
const oidcMessage = (e) => (e.key ? t(e.key, e.params) : e.message);

i18n.init().then(() => {
  i18n.mountPicker(document.getElementById('language'));
  start();
});
