// The campaign report's tables, as the 2020 report prints them (server-side CSV), and the case × entity matrix.
import { el, dataTable, section, download, message } from '../dom.js';
import { t } from '../i18n.js';
import { tally } from '../api.js';
import { caseName, entityName } from '../model.js';

function serverCsv(path, filename, label) {
  return el('button', { type: 'button', class: 'csv', text: label,
    onclick: async () => download(filename, await tally(path + '?format=csv', { accept: 'text/csv' })) });
}

export function render(view) {
  const cases = dataTable({ id: 'report-cases', caption: t('report.casesCaption'), filename: 'report-cases-table',
    columns: [t('col.individualOrGroup'), t('col.country'), t('col.estimated')] });
  const entities = dataTable({ id: 'report-entities', caption: t('report.entitiesCaption'), filename: 'report-entities-table',
    columns: [t('col.entity'), t('col.actions')] });
  const matrix = el('div', { id: 'matrix' });
  view.append(el('h2', { tabindex: '-1', text: t('report.title') }),
    el('p', { class: 'note', text: t('report.help') }),
    section(t('report.perCase'), serverCsv('/api/v1/totals/report/cases', 'report-cases.csv', t('report.csvCases')), cases.node),
    section(t('report.perEntity'), serverCsv('/api/v1/totals/report/entities', 'report-entities.csv', t('report.csvEntities')),
      entities.node),
    section(t('report.matrix'), serverCsv('/api/v1/totals/matrix', 'matrix.csv', t('report.csvMatrix')), matrix));

  (async () => {
    const [c, e, m] = await Promise.all([tally('/api/v1/totals/report/cases'), tally('/api/v1/totals/report/entities'),
      tally('/api/v1/totals/matrix')]);
    cases.fill(c.map((r) => [r.individualOrGroup, r.country, r.estimatedNumberOfActions]));
    entities.fill(e.map((r) => [r.entity, r.actions]));
    const table = dataTable({ id: 'matrix-table', caption: t('report.matrixCaption'), filename: 'matrix-table',
      columns: [t('col.entity')].concat(m.cases.map(caseName), [t('case.none'), t('col.total')]),
      numeric: m.cases.map((x, i) => i + 1).concat([m.cases.length + 1, m.cases.length + 2]) });
    table.fill(m.rows.map((r) => [entityName(r.entityId)].concat(m.cases.map((x) => r.cases[x] || 0), [r.withoutCase, r.total])));
    matrix.replaceChildren(table.node);
  })().catch((err) => view.append(message(err.message, 'error')));
  return () => {};
}
