// The staff UI's languages: one message bundle per language (i18n/<language>.json); English is the reference that
// every other bundle mirrors key for key (staff-ui's MessageBundlesTest). Hand-written rather than a framework: the
// page loads no third-party script but Chart.js (no CDN, script-src 'self', no build step), and what it needs is
// small: look a key up, fill in its {names}, choose the plural form (Intl.PluralRules) and format numbers and dates
// (Intl.NumberFormat, Intl.DateTimeFormat). The browser holds the locale data; the bundles hold only our words.
export const LANGUAGES = ['en', 'fr', 'es', 'ar'];
const RIGHT_TO_LEFT = new Set(['ar']);
const STORED = 'w4r.language';

let language = 'en';
let english = {};
let messages = {};
let plurals = new Intl.PluralRules('en');
let numbers = new Intl.NumberFormat('en');

/** The language to show: the one chosen before in this browser, else the first of the browser's we speak, else English. */
export function choose(stored, preferred) {
  if (LANGUAGES.includes(stored)) { return stored; }
  for (const tag of preferred || []) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) { return base; }
  }
  return 'en';
}

/** Speaks {@code lang} with its bundle {@code own}; a key missing from it is looked up in {@code reference} (English). */
export function use(lang, reference, own) {
  language = lang;
  english = reference;
  messages = own || reference;
  plurals = new Intl.PluralRules(lang);
  numbers = new Intl.NumberFormat(lang);
}

export const current = () => language;
export const direction = (lang) => (RIGHT_TO_LEFT.has(lang || language) ? 'rtl' : 'ltr');
export const has = (key) => key in messages || key in english;

/**
 * The text of {@code key} in the language shown, with {name} replaced by params.name (numbers formatted for the
 * language). A key whose value is an object is plural: its form is chosen by params.count. A key missing from the
 * bundle falls back to English; one missing from English too shows as the key itself, so it is seen (and the bundle
 * test fails first).
 */
export function t(key, params) {
  let text = key in messages ? messages[key] : english[key];
  if (text == null) {
    console.warn('no message for ' + key);
    return key;
  }
  if (typeof text === 'object') {
    const count = params && params.count != null ? Number(params.count) : NaN; // no count yet: the general form
    text = (Number.isNaN(count) ? null : text[plurals.select(count)]) || text.other;
  }
  return text.replace(/\{(\w+)\}/g, (all, name) => (params && params[name] != null
    ? (typeof params[name] === 'number' ? numbers.format(params[name]) : String(params[name])) : all));
}

/** A value from the APIs that names one of a known set (an action type, a status…): translated if we know it. */
export function term(group, value) {
  if (value == null || value === '') { return ''; }
  return has(group + '.' + value) ? t(group + '.' + value) : String(value);
}

export const fmt = (n) => (n == null || n === '' ? '' : numbers.format(Number(n)));

/** A share in percent (50 is 50 %), with this many decimals. */
export function percent(value, decimals) {
  const digits = decimals || 0;
  return new Intl.NumberFormat(language, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(value / 100);
}

/** An instant, to the minute (or the second), in UTC: staff in every time zone read the same time. */
export function date(iso, seconds) {
  if (!iso) { return ''; }
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit',
    minute: '2-digit', second: seconds ? '2-digit' : undefined, hourCycle: 'h23', timeZone: 'UTC', timeZoneName: 'short' })
    .format(new Date(iso));
}

/** A day (2020-12-10) as the language writes it. */
export function day(isoDay) {
  if (!isoDay) { return ''; }
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(isoDay + 'T00:00:00Z'));
}

/** A language's name in that language (English, français, español, العربية), from the browser's own data. */
export function nameOf(lang) {
  const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang);
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}

async function bundle(lang) {
  const response = await fetch('i18n/' + lang + '.json');
  if (!response.ok) { throw new Error(lang + ': HTTP ' + response.status); }
  return response.json();
}

/** Elements of the page itself (index.html) carry their key: data-i18n for the text, data-i18n-aria-label. */
export function translatePage(root) {
  root.querySelectorAll('[data-i18n]').forEach((node) => { node.textContent = t(node.dataset.i18n); });
  root.querySelectorAll('[data-i18n-aria-label]').forEach((node) => node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel)));
}

/** Chooses the language, loads its bundle (and English beneath it), and sets the page's lang, dir and words. */
export async function init() {
  const lang = choose(localStorage.getItem(STORED), navigator.languages || [navigator.language]);
  const reference = await bundle('en');
  let own = reference;
  if (lang !== 'en') {
    try { own = await bundle(lang); } catch (e) { console.warn('no bundle for ' + lang + ', English shown', e); }
  }
  use(lang, reference, own);
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
  translatePage(document);
}

/** The header's language list; a choice is remembered in this browser and the page is read again in it. */
export function mountPicker(select) {
  select.replaceChildren(...LANGUAGES.map((lang) => {
    const option = document.createElement('option');
    option.value = lang;
    option.lang = lang;
    option.dir = direction(lang);
    option.textContent = nameOf(lang);
    return option;
  }));
  select.value = language;
  select.addEventListener('change', () => {
    localStorage.setItem(STORED, select.value);
    // every page, banner and chart is drawn again in the new language; the token and the route stay (sessionStorage, #)
    location.reload();
  });
}
