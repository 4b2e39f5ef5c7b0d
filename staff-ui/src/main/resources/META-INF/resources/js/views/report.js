// The campaign report's tables, as the 2020 report prints them (server-side CSV), and the case × entity matrix.
import { el, dataTable, section, download, message } from '../dom.js';
import { tally } from '../api.js';
import { caseName, entityName } from '../model.js';

function serverCsv(path, filename, label) {
  return el('button', { type: 'button', class: 'csv', text: label,
    onclick: async () => download(filename, await tally(path + '?format=csv', { accept: 'text/csv' })) });
}

export function render(view) {
  const cases = dataTable({ id: 'report-cases', caption: 'Number of actions for each individual and group', filename: 'report-cases-table',
    columns: ['Individual or group', 'Country', 'Estimated number of actions'] });
  const entities = dataTable({ id: 'report-entities', caption: 'Activities around the world', filename: 'report-entities-table',
    columns: ['Entity', 'Actions'] });
  const matrix = el('div', { id: 'matrix' });
  view.append(el('h2', { tabindex: '-1', text: 'Campaign report' }),
    el('p', { class: 'note', text: 'The tables as the 2020 campaign report prints them. "Report CSV" downloads the '
      + 'server\'s export in the report\'s format; "Download CSV" downloads the table as shown.' }),
    section('Per case', serverCsv('/api/v1/totals/report/cases', 'report-cases.csv', 'Report CSV (per case)'), cases.node),
    section('Per entity', serverCsv('/api/v1/totals/report/entities', 'report-entities.csv', 'Report CSV (per entity)'), entities.node),
    section('Case × entity', serverCsv('/api/v1/totals/matrix', 'matrix.csv', 'Matrix CSV'), matrix));

  (async () => {
    const [c, e, m] = await Promise.all([tally('/api/v1/totals/report/cases'), tally('/api/v1/totals/report/entities'),
      tally('/api/v1/totals/matrix')]);
    cases.fill(c.map((r) => [r.individualOrGroup, r.country, r.estimatedNumberOfActions]));
    entities.fill(e.map((r) => [r.entity, r.actions]));
    const t = dataTable({ id: 'matrix-table', caption: 'Actions per entity and case', filename: 'matrix-table',
      columns: ['Entity'].concat(m.cases.map(caseName), ['(no case)', 'Total']),
      numeric: m.cases.map((x, i) => i + 1).concat([m.cases.length + 1, m.cases.length + 2]) });
    t.fill(m.rows.map((r) => [entityName(r.entityId)].concat(m.cases.map((x) => r.cases[x] || 0), [r.withoutCase, r.total])));
    matrix.replaceChildren(t.node);
  })().catch((err) => view.append(message(err.message, 'error')));
  return () => {};
}
