// The dashboard's own CSV downloads (js/dom.js toCsv): what a person opens in a spreadsheet must not run as a formula,
// whichever separator the spreadsheet's locale splits on. Run: node --test staff-ui/src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.document = { createElement: () => ({}) };
const { toCsv } = await import('../../main/resources/META-INF/resources/js/dom.js');

test('every text is quoted, a formula gets its apostrophe, numbers stay numbers', () => {
  const csv = toCsv(['author', 'count'], [['Grace;=cmd|calc', 3], ['=HYPERLINK(1)', -2], ['say "hi"', null]]);
  assert.equal(csv, '"author","count"\r\n"Grace;=cmd|calc",3\r\n"\'=HYPERLINK(1)",-2\r\n"say ""hi""",\r\n');
  // split on ';' as a French spreadsheet does, outside quotes: no field starts with '='
  for (const line of csv.trim().split('\r\n')) {
    assert.ok(splitOn(';', line).every((f) => !f.startsWith('=')), line);
  }
  // the same check catches the unquoted cell this replaced
  assert.ok(splitOn(';', 'Grace;=cmd|calc,3').some((f) => f.startsWith('=')));
});

// A field is quoted when it starts with '"' (until the closing quote, "" for a quote), and runs to the next separator.
function splitOn(separator, line) {
  const fields = [];
  let i = 0;
  while (i <= line.length) {
    let field = '';
    if (line[i] === '"') {
      for (i++; i < line.length && !(line[i] === '"' && line[i + 1] !== '"'); i++) {
        field += line[i];
        if (line[i] === '"') { i++; }
      }
      i++;
    }
    for (; i < line.length && line[i] !== separator; i++) { field += line[i]; }
    fields.push(field);
    i++;
  }
  return fields;
}

test('a formula after leading spaces or a line break gets its apostrophe too; a name with a space does not', () => {
  // some spreadsheets trim a cell on import, and " =HYPERLINK(…)" then ran (a read-only review, 8 December 2026)
  const csv = toCsv(['author'], [[' =HYPERLINK(1)'], ['\n@SUM(1)'], [' Ana']]);
  assert.equal(csv, '"author"\r\n"\' =HYPERLINK(1)"\r\n"\'\n@SUM(1)"\r\n" Ana"\r\n');
});
