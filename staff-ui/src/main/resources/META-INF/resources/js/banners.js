// One banner per case on safety hold, on every page, updated as holds are placed and lifted. The stream says only
// which case and since when; why is for case managers, on the holds page (from case-service).
import { el, date } from './dom.js';
import { watch } from './model.js';

export function mountBanners(region) {
  return watch((info) => {
    const held = info.cases.filter((c) => c.hold);
    region.replaceChildren(...held.map((c) => el('div', { class: 'banner', 'data-hold-case': c.caseId },
      el('strong', { text: 'Safety hold: ' }),
      el('a', { href: '#/case/' + encodeURIComponent(c.caseId), text: c.name || c.caseId }),
      ' — on safety hold since ' + date(c.hold.placedAt)
        + '. No delivery may be planned or recorded while the hold lasts.')));
  });
}
