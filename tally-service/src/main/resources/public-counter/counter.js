/*
 * Write for Rights live counter: <script src="https://TALLY/public/v1/counter.js"></script>
 * then <w4r-counter case="nassima-al-sada" lang="fr" theme="light|dark|plain"></w4r-counter>; without lang, the
 * language of the page (its nearest lang attribute), else the browser's.
 * No dependency, no cookie, nothing inline: a site with a strict Content-Security-Policy allows this origin in
 * script-src and connect-src and nothing else (docs/entity-developers.md, "Embed the counter").
 */
(function () {
  'use strict';
  if (!window.customElements || customElements.get('w4r-counter')) {
    return;
  }
  // read while this script runs: the counters live on the origin (and path) the script came from
  var script = document.currentScript;
  var base = script && script.src ? script.src : document.baseURI;

  // the component's message bundle: one entry per language it speaks (the words of the staff UI's bundles, the same
  // vocabulary); {goal} is replaced by the formatted goal. "actions" agrees with the count: one form per plural
  // category of the language (Intl.PluralRules: French and Spanish say "1 000 000 d'actions", Arabic has six forms).
  var MESSAGES = {
    en: {actions: {one: 'action', other: 'actions'}, goal: 'Goal: {goal}', progress: 'Progress towards the goal'},
    fr: {actions: {one: 'action', many: 'd’actions', other: 'actions'}, goal: 'Objectif\u00a0: {goal}',
      progress: 'Progression vers l’objectif'},
    es: {actions: {one: 'acción', many: 'de acciones', other: 'acciones'}, goal: 'Meta: {goal}',
      progress: 'Progreso hacia la meta'},
    ar: {actions: {zero: 'تحرّك', one: 'تحرّك', two: 'تحرّكان', few: 'تحرّكات', many: 'تحرّكًا', other: 'تحرّك'},
      goal: 'الهدف: {goal}', progress: 'التقدّم نحو الهدف'}
  };
  var RTL = {ar: true};

  var CSS = [
    ':host{display:inline-block;font:inherit;color:inherit}',
    ':host([hidden]){display:none}',
    '.w{padding:.75em 1em;border-radius:.5em;min-width:12em}',
    '.light{background:#fff;color:#111;border:1px solid #ccc}',
    '.dark{background:#111;color:#fff;border:1px solid #444}',
    '.plain{padding:0}',
    '.n{font-size:1.75em;font-weight:700;font-variant-numeric:tabular-nums}',
    '.t{margin-inline-start:.35em}',
    '.g{font-size:.9em;opacity:.85}',
    '.bar{height:.5em;border-radius:.25em;background:rgba(127,127,127,.3);overflow:hidden;margin-top:.4em}',
    '.fill{height:100%;width:0;background:#ffcc00}',
    '.plain .fill{background:currentColor}',
    '@media (prefers-reduced-motion:no-preference){.fill{transition:width .6s ease-out}}'
  ].join('\n');

  var sheet = null;
  try {
    // a constructed sheet is CSSOM, not an inline <style>: no 'unsafe-inline' needed under a strict style-src
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  } catch (e) {
    sheet = null;
  }

  var MIN_REFRESH = 5;
  // a count is confirmed at least this often, whatever the site's refresh: a hold takes it off at the next answer
  var MAX_REFRESH = 120;
  var MAX_BACKOFF = 600;
  // a count not confirmed for this many refreshes is taken off: it may be of a case held since (below)
  var UNCONFIRMED_REFRESHES = 3;
  var FETCH_TIMEOUT = 10;

  function language(el) {
    var page = el.closest('[lang]');
    var tag = el.getAttribute('lang') || (page && page.getAttribute('lang')) || navigator.language || 'en';
    try {
      return Intl.getCanonicalLocales(tag)[0];
    } catch (e) {
      return 'en'; // lang="" or a tag that is no language
    }
  }

  function plural(forms, tag, count) {
    try {
      return forms[new Intl.PluralRules(tag).select(count)] || forms.other;
    } catch (e) {
      return forms.other;
    }
  }

  function messages(tag) {
    return MESSAGES[tag.toLowerCase().split('-')[0]] || MESSAGES.en;
  }

  class Counter extends HTMLElement {
    static get observedAttributes() {
      return ['case', 'lang', 'theme', 'refresh'];
    }
  }

  Counter.prototype.connectedCallback = function () {
    if (!this.shadowRoot) {
      var root = this.attachShadow({mode: 'open'});
      if (sheet) {
        root.adoptedStyleSheets = [sheet];
      } else {
        var style = document.createElement('style');
        style.textContent = CSS;
        root.appendChild(style);
      }
    }
    this.start();
  };

  Counter.prototype.disconnectedCallback = function () {
    this.stop();
  };

  Counter.prototype.attributeChangedCallback = function () {
    if (this.isConnected && this.shadowRoot) {
      this.start();
    }
  };

  Counter.prototype.stop = function () {
    clearTimeout(this.timer);
    this.timer = null;
    this.generation = (this.generation || 0) + 1;
  };

  Counter.prototype.start = function () {
    this.stop();
    this.failures = 0;
    this.last = null;
    var id = this.getAttribute('case');
    // another case: what was said of the last one is not said of it (a change of lang, theme or refresh, or the
    // element moved, keeps it: a box a site hid around an empty counter would show again until the next answer)
    if (id !== this.stateOf) {
      this.removeAttribute('data-state');
      this.stateOf = id;
    }
    if (!id) {
      this.clear();
      return;
    }
    this.url = new URL('cases/' + encodeURIComponent(id) + '/counter', base).href;
    this.load(this.generation);
  };

  Counter.prototype.refreshSeconds = function () {
    var n = parseInt(this.getAttribute('refresh'), 10);
    return isNaN(n) ? 30 : Math.min(MAX_REFRESH, Math.max(MIN_REFRESH, n));
  };

  Counter.prototype.later = function (generation, seconds) {
    var self = this;
    if (generation === this.generation) {
      this.timer = setTimeout(function () { self.load(generation); }, seconds * 1000);
    }
  };

  Counter.prototype.load = function (generation) {
    var self = this;
    // the default cache mode keeps the answer for its max-age, then revalidates it with its ETag (a 304 reaches us
    // as the cached 200), so a refresh costs a conditional request and no CORS preflight
    // bounded: a request that hangs would never fail, and the count it showed would never be taken off (below)
    var abort = typeof AbortController === 'function' ? new AbortController() : null;
    // (the body's read too: aborting a read that has ended does nothing)
    if (abort) {
      setTimeout(function () { abort.abort(); }, FETCH_TIMEOUT * 1000);
    }
    fetch(this.url, {credentials: 'omit', mode: 'cors', signal: abort ? abort.signal : undefined}).then(function (response) {
      if (generation !== self.generation) {
        return null;
      }
      if (response.status === 404) {
        // no such case, its counter switched off, or the case on hold: all look alike, and show nothing; and ask
        // again as often as for a count, so a hold lifted or a counter switched on shows again without a reload (it
        // stopped for good until a review, 6 December 2026; the 404 is cached as long as a count is)
        self.clear();
        self.answered('hidden');
        self.later(generation, self.refreshSeconds());
        return null;
      }
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.json().then(function (counter) {
        if (generation === self.generation) {
          self.failures = 0;
          self.render(counter);
          self.confirmedAt = Date.now(); // after render, whose clear() forgets it
          self.answered('shown');
          self.later(generation, self.refreshSeconds());
        }
      });
    }).catch(function () {
      // unreachable or refused: keep what is shown (and what is said of it: a held case's empty box stays hidden
      // through an outage), and ask again later and later; "retrying" only while nothing was ever answered. But not
      // a count for ever: the case may have been held meanwhile, and the backoff (up to 10 min) kept its count on
      // every entity's page through a short outage of tally (a read-only review, 8 December 2026); once it is
      // unconfirmed for three refreshes it is taken off, as a 404 takes it off, and shown again at the next answer
      if (generation === self.generation && !self.hasAttribute('data-state')) {
        self.answered('retrying');
      }
      if (generation === self.generation && self.confirmedAt
          && Date.now() - self.confirmedAt >= UNCONFIRMED_REFRESHES * self.refreshSeconds() * 1000) {
        self.clear();
        self.answered('hidden');
      }
      self.failures = Math.min((self.failures || 0) + 1, 10);
      self.later(generation, Math.min(MAX_BACKOFF, self.refreshSeconds() * Math.pow(2, self.failures)));
    });
  };

  // data-state on the element says what it shows ("shown": a count; "hidden": nothing, after a 404, the same for a
  // hold, a counter switched off or no such case, or a count left unconfirmed for three refreshes; "retrying":
  // nothing yet, the first read failed; a shorter outage after an answer keeps what was shown and its state), so a
  // site can style what is around it (a box left empty)
  // and a test can tell "handled a 404" from "not answered yet" (a browser test read an empty element before the 404
  // arrived and passed on that, until a review, 6 December 2026)
  Counter.prototype.answered = function (state) {
    if (this.getAttribute('data-state') !== state) {
      this.setAttribute('data-state', state);
    }
  };

  Counter.prototype.clear = function () {
    this.last = null;
    this.confirmedAt = null;
    if (this.shadowRoot) {
      Array.prototype.slice.call(this.shadowRoot.childNodes).forEach(function (node) {
        if (node.nodeName !== 'STYLE') {
          node.remove();
        }
      });
    }
  };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  Counter.prototype.render = function (counter) {
    var tag = language(this);
    var text = messages(tag);
    var format;
    try {
      format = new Intl.NumberFormat(tag);
    } catch (e) {
      format = new Intl.NumberFormat('en');
    }
    var theme = this.getAttribute('theme');
    theme = theme === 'dark' || theme === 'plain' ? theme : 'light';
    var key = [tag, theme, counter.count, counter.goal].join('|');
    if (key === this.last) {
      return;
    }
    this.last = key;
    this.clear();

    var wrap = element('div', 'w ' + theme);
    wrap.setAttribute('lang', tag);
    wrap.setAttribute('dir', RTL[tag.toLowerCase().split('-')[0]] ? 'rtl' : 'ltr');
    var line = element('div');
    line.appendChild(element('span', 'n', format.format(counter.count)));
    line.appendChild(element('span', 't', plural(text.actions, tag, counter.count)));
    wrap.appendChild(line);
    if (typeof counter.goal === 'number' && counter.goal > 0) {
      wrap.appendChild(element('div', 'g', text.goal.replace('{goal}', format.format(counter.goal))));
      var bar = element('div', 'bar');
      bar.setAttribute('role', 'progressbar');
      bar.setAttribute('aria-label', text.progress);
      bar.setAttribute('aria-valuemin', '0');
      bar.setAttribute('aria-valuemax', String(counter.goal));
      bar.setAttribute('aria-valuenow', String(Math.min(counter.count, counter.goal)));
      bar.setAttribute('aria-valuetext', format.format(counter.count) + ' / ' + format.format(counter.goal));
      var fill = element('div', 'fill');
      // a CSSOM property, not a style attribute: allowed under a strict style-src
      fill.style.width = Math.min(100, 100 * counter.count / counter.goal).toFixed(1) + '%';
      bar.appendChild(fill);
      wrap.appendChild(bar);
    }
    this.shadowRoot.appendChild(wrap);
  };

  // the languages it speaks and its words in each, readable by a site (customElements.get('w4r-counter').messages)
  // and by the browser tests, which compare what it shows with these
  Counter.messages = MESSAGES;
  customElements.define('w4r-counter', Counter);
})();
