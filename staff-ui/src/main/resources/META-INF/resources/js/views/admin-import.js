// Case managers: cases or entities from a CSV file. First a dry run (?dryRun=true: every line checked by
// case-service's own rules, nothing written), shown line by line with why each refused line would be refused; the
// file is imported only when no line is refused, and after a confirmation.
import { el, dataTable, section } from '../dom.js';
import { t } from '../i18n.js';
import { caseService, serviceUrls, sendCsv } from '../api.js';
import { field, select, confirmStep, explain, statusLine } from '../admin.js';

export function render(view) {
  const status = statusLine('import-status');
  const what = select({ id: 'import-what' }, [['cases', t('admin.import.cases')], ['entities', t('admin.import.entities')]]);
  const campaignPick = el('select', { id: 'import-campaign' });
  const file = el('input', { id: 'import-file', type: 'file', accept: '.csv,text/csv' });
  const text = el('textarea', { id: 'import-text', rows: 8, cols: 80, spellcheck: false });
  const previewButton = el('button', { type: 'submit', id: 'import-preview', text: t('admin.import.preview') });
  const importButton = el('button', { type: 'button', id: 'import-run', class: 'approve', disabled: true, text: t('admin.import.run') });
  const summary = el('p', { id: 'import-summary', class: 'note', 'aria-live': 'polite' });
  const table = dataTable({ id: 'import-table', caption: t('admin.import.caption'), filename: 'import-preview', limit: true,
    columns: [t('admin.import.line'), t('admin.col.id'), t('col.status'), t('admin.import.why')] });
  const campaignField = field(t('admin.cases.campaign'), campaignPick);
  const form = el('form', { id: 'import-form', class: 'form', onsubmit: (e) => { e.preventDefault(); preview(); } },
    field(t('admin.import.what'), what), campaignField, field(t('admin.import.file'), file), previewButton);
  view.append(el('h2', { tabindex: '-1', text: t('nav.import') }), status.node,
    section(t('admin.import.title'), el('p', { class: 'note', text: t('admin.import.help') }), form,
      field(t('admin.import.text'), text)),
    section(t('admin.import.caption'), summary, table.node, el('p', {}, importButton)));

  let checked = null; // the text the preview was made of: only that text is imported

  const target = () => (what.value === 'cases'
    ? '/api/v1/campaigns/' + encodeURIComponent(campaignPick.value) + '/cases/import' : '/api/v1/entities/import');

  const send = async (path) => sendCsv((await serviceUrls()).caseService + path, text.value);

  function reset() { checked = null; importButton.disabled = true; }

  async function preview() {
    reset();
    status.clear();
    try {
      const answer = await send(target() + '?dryRun=true');
      table.fill(answer.results.map((r) => [r.line, r.id || '',
        { text: r.problem ? t('admin.import.refused') : t('admin.import.ok'), value: r.status },
        { text: r.problem ? explain({ problem: r.problem, message: r.problem.detail }) : '', value: r.problem ? r.problem.detail : '' }]));
      summary.textContent = t('admin.import.summary', { count: answer.lines, refused: answer.refused });
      if (answer.refused === 0 && answer.lines > 0) {
        checked = text.value;
        importButton.disabled = false;
        importButton.textContent = t('admin.import.runCount', { count: answer.lines });
      }
    } catch (e) { table.fill([]); summary.textContent = ''; status.failed(t('admin.import.cannotPreview', { reason: explain(e) })); }
  }

  importButton.addEventListener('click', async () => {
    if (checked === null || checked !== text.value) { reset(); status.failed(t('admin.import.changed')); return; }
    const count = text.value.trim().split(/\r?\n/).length - 1;
    if (!await confirmStep(t('admin.import.confirm', { count }), t('admin.import.run'))) { return; }
    try {
      const created = await send(target());
      status.done(t('admin.import.done', { count: created.length }));
      reset();
    } catch (e) { status.failed(t('admin.notSaved', { reason: explain(e) })); }
  });

  file.addEventListener('change', async () => {
    if (file.files.length) { text.value = await file.files[0].text(); reset(); }
  });
  text.addEventListener('input', reset);
  what.addEventListener('change', () => { campaignField.hidden = what.value !== 'cases'; reset(); });
  campaignPick.addEventListener('change', reset);

  caseService('/api/v1/campaigns').then((campaigns) => {
    campaignPick.replaceChildren(...campaigns.map((c) => el('option', { value: c.campaignId,
      text: c.current ? t('header.campaignCurrent', { name: c.name }) : c.name })));
    const currentOne = campaigns.find((c) => c.current);
    if (currentOne) { campaignPick.value = currentOne.campaignId; }
  }).catch((e) => status.failed(t('admin.cannotRead', { reason: explain(e) })));
  return () => {};
}
