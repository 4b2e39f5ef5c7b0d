// One banner per case on safety hold, on every page, updated as holds are placed and lifted. The stream says only
// which case and since when; why is for case managers, on the holds page (from case-service).
import { el } from './dom.js';
import { t, date } from './i18n.js';
import { watch } from './model.js';
import { petitionService } from './api.js';

export function mountBanners(region) {
  return watch((info) => {
    const held = info.cases.filter((c) => c.hold);
    region.replaceChildren(...held.map((c) => el('div', { class: 'banner', 'data-hold-case': c.caseId },
      el('strong', { text: t('banner.hold') }), ' ',
      el('a', { href: '#/case/' + encodeURIComponent(c.caseId), text: c.name || c.caseId }),
      ' ', t('banner.holdSince', { since: date(c.hold.placedAt) }))));
  });
}

// Coordinators: a banner while anything trends (petition-service's anomaly scan of the current campaign, read every
// minute); the Anomalies page says what and offers the invalidation.
export function mountTrendBanner(region) {
  async function check() {
    try {
      const report = await petitionService('/api/v1/anomalies');
      region.replaceChildren(...(report.trending > 0 ? [el('div', { class: 'banner trend', 'data-trending': report.trending },
        el('strong', { text: t('banner.trending') }), ' ',
        t('banner.trendingText', { count: report.trending, since: date(report.windowFrom) }), ' ',
        el('a', { href: '#/anomalies', text: t('banner.seeAnomalies') }))] : []));
    } catch (e) { region.replaceChildren(); } // the page itself says why it cannot scan
  }
  check();
  const timer = setInterval(check, 60000);
  return () => { clearInterval(timer); region.replaceChildren(); };
}
