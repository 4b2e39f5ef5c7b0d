// One banner per case on safety hold, on every page, updated as holds are placed and lifted.
import { el, date } from './dom.js';
import { watch } from './model.js';

export function mountBanners(region) {
  return watch((info) => {
    const held = info.cases.filter((c) => c.hold);
    region.replaceChildren(...held.map((c) => el('div', { class: 'banner', 'data-hold-case': c.caseId },
      el('strong', { text: 'Safety hold: ' }),
      el('a', { href: '#/case/' + encodeURIComponent(c.caseId), text: c.name || c.caseId }),
      ' — ' + (c.hold.reason || 'no reason given') + ' (since ' + date(c.hold.placedAt) + ', by ' + (c.hold.placedBy || '?')
        + '). No delivery may be planned or recorded while the hold lasts.')));
  });
}
