// The staff UI's translations (js/i18n.js) with the real bundles, under Node's Intl (the same ICU data a browser has):
// the language chosen, a key missing from a bundle shown in English, each plural form where the language's rules put
// it, numbers and dates in the language's own way. Run: node --test staff-ui/src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const i18n = await import('../../main/resources/META-INF/resources/js/i18n.js');
const bundle = (lang) => JSON.parse(readFileSync(new URL('../../main/resources/META-INF/resources/i18n/' + lang + '.json',
  import.meta.url), 'utf8'));
const english = bundle('en');

test('the language: the one chosen before, else the first of the browser\'s that the page speaks, else English', () => {
  assert.equal(i18n.choose('ar', ['fr-FR']), 'ar');
  assert.equal(i18n.choose(null, ['fr-CA', 'en']), 'fr');
  assert.equal(i18n.choose(null, ['de-DE', 'es-419', 'en']), 'es');
  assert.equal(i18n.choose('klingon', ['de', 'ja']), 'en');
  assert.equal(i18n.choose(null, []), 'en');
  assert.equal(i18n.direction('ar'), 'rtl');
  assert.equal(i18n.direction('fr'), 'ltr');
});

test('a key missing from a bundle falls back to English', () => {
  const french = bundle('fr');
  delete french['nav.overview'];
  i18n.use('fr', english, french);
  assert.equal(i18n.t('nav.overview'), 'Overview');
  assert.equal(i18n.t('nav.report'), 'Rapport');
  assert.equal(i18n.t('no.such.key'), 'no.such.key', 'a key nobody wrote shows as itself');
});

test('every plural has exactly the forms the language\'s rules choose from, and each is chosen', () => {
  for (const lang of i18n.LANGUAGES) {
    const own = bundle(lang);
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();
    const plurals = Object.entries(own).filter(([, v]) => typeof v === 'object');
    assert.ok(plurals.length > 10, lang);
    for (const [key, forms] of plurals) {
      assert.deepEqual(Object.keys(forms).sort(), categories, lang + ' ' + key);
    }
    i18n.use(lang, english, own);
    // one number of each category: t() picks that form
    for (const n of [0, 1, 2, 3, 11, 100, 1000000]) {
      const form = new Intl.PluralRules(lang).select(n);
      const expected = own['moderation.waiting'][form].replace('{count}', new Intl.NumberFormat(lang).format(n));
      assert.equal(i18n.t('moderation.waiting', { count: n }), expected, lang + ' ' + n);
    }
  }
  i18n.use('en', english, english);
  assert.equal(i18n.t('invalidations.selected', { count: 1 }), '1 action selected.');
  assert.equal(i18n.t('invalidations.selected', { count: 320 }), '320 actions selected.');
  i18n.use('ar', english, bundle('ar'));
  assert.equal(i18n.t('moderation.waiting', { count: 2 }), 'رسالتان بانتظار المراجعة.');
});

test('numbers, shares and dates in the language\'s own way; data in placeholders as given', () => {
  i18n.use('fr', english, bundle('fr'));
  assert.equal(i18n.fmt(1234567), new Intl.NumberFormat('fr').format(1234567));
  assert.notEqual(i18n.fmt(1234567), '1,234,567');
  assert.equal(i18n.t('overview.ofGoal', { total: 12345, goal: 100000 }),
    new Intl.NumberFormat('fr').format(12345) + ' sur ' + new Intl.NumberFormat('fr').format(100000));
  assert.equal(i18n.t('holds.placed', { name: 'Germain Rukuki' }), 'Suspension placée sur Germain Rukuki.');
  assert.equal(i18n.percent(12.5, 1), new Intl.NumberFormat('fr', { style: 'percent', minimumFractionDigits: 1 }).format(0.125));
  assert.match(i18n.day('2020-12-10'), /10 déc\.? 2020/);
  assert.match(i18n.date('2020-12-10T14:05:00Z'), /10 déc\.? 2020.*14:05.*UTC/);
  i18n.use('en', english, english);
  assert.equal(i18n.fmt(1234567), '1,234,567');
  assert.equal(i18n.day('2020-12-10'), 'Dec 10, 2020');
  assert.equal(i18n.term('type', 'letter'), 'letter');
  assert.equal(i18n.term('type', 'hologram'), 'hologram', 'a value nobody translated stays as the API gave it');
  i18n.use('es', english, bundle('es'));
  assert.equal(i18n.term('type', 'letter'), 'carta');
  assert.equal(i18n.nameOf('ar'), 'العربية');
  assert.equal(i18n.nameOf('fr'), 'Français');
});
