// DOM helpers. Every value is set with textContent or as a property, never parsed as HTML.
import { t, fmt } from './i18n.js';

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => {
    if (value == null || value === false) { return; }
    if (key === 'class') { node.className = value; }
    else if (key === 'text') { node.textContent = String(value); }
    else if (key.startsWith('on')) { node.addEventListener(key.slice(2), value); }
    else if (key in node && !key.includes('-')) { node[key] = value; }
    else { node.setAttribute(key, value === true ? '' : String(value)); }
  });
  children.flat().forEach((child) => {
    if (child == null || child === false) { return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return node;
}

// RFC 4180; a cell a spreadsheet would run as a formula gets a leading apostrophe (as the server's CSV does), and every
// text is quoted: a spreadsheet set to split on ';' (French, Spanish Excel) read an unquoted "Grace;=..." from the
// public as two cells, the second a formula with no apostrophe (injection audit, 4 December 2026). Numbers stay bare.
export function toCsv(header, rows) {
  const cell = (v) => {
    if (v == null) { return ''; }
    if (typeof v === 'number') { return String(v); }
    let s = String(v);
    // as the services' SpreadsheetSafe: a formula character first, or after spaces and line breaks
    if (/^[=+\-@\t\r]|^[ \n]+[=+\-@]/.test(s)) { s = "'" + s; }
    return '"' + s.replace(/"/g, '""') + '"';
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/**
 * A translated sentence with elements in it: each {name} left in the text (t() keeps what it was not given) becomes
 * nodes[name], so a link or a number sits where the language puts it.
 */
export function words(text, nodes) {
  return text.split(/\{(\w+)\}/).map((part, i) => (i % 2 === 1 && nodes[part] ? nodes[part] : (i % 2 === 1 ? '{' + part + '}' : part)))
    .filter((part) => part !== '');
}

export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type: type || 'text/csv;charset=utf-8' }));
  const a = el('a', { href: url, download: filename });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * A table with a caption, column headers (th scope=col), the first cell of each row as a row header, and a button
 * that downloads exactly what is shown as CSV. rows: arrays of cells; a cell is a value or {text, node, value}.
 */
export function dataTable({ id, caption, columns, rows, filename, numeric, limit }) {
  const num = new Set(numeric || []);
  const table = el('table', { id, class: 'data' },
    el('caption', { class: 'sr-only', text: caption }),
    el('thead', {}, el('tr', {}, columns.map((c, i) => el('th', { scope: 'col', class: num.has(i) ? 'num' : null, text: c })))),
    el('tbody'));
  const body = table.tBodies[0];
  let current = [];
  function fill(newRows) {
    current = newRows;
    body.replaceChildren(...newRows.map((r) => el('tr', {}, r.map((c, i) => {
      const content = c != null && typeof c === 'object' ? (c.node || c.text) : (num.has(i) ? fmt(c) : c);
      return el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: num.has(i) ? 'num' : null }, content);
    }))));
  }
  fill(rows || []);
  const raw = (c) => (c != null && typeof c === 'object' ? (c.value !== undefined ? c.value : c.text) : c);
  const button = el('button', { type: 'button', class: 'csv', text: t('table.csv'),
    'aria-label': t('table.csvLabel', { caption }),
    onclick: () => download(filename + '.csv', toCsv(columns, current.map((r) => r.map(raw)))) });
  // limit: a long table scrolls in a box of its own (focusable, so the keyboard can scroll it too)
  const box = el('div', { class: limit ? 'scroll limit' : 'scroll', tabindex: limit ? '0' : null,
    'aria-label': limit ? caption : null }, table);
  const wrap = el('div', { class: 'table-wrap' }, box, button);
  return { node: wrap, fill, table };
}

let sections = 0;
export function section(title, ...children) {
  const id = 'h-' + (sections += 1); // from a counter: a title in Arabic has no [a-z] to make an id of
  return el('section', { class: 'card', 'aria-labelledby': id }, el('h3', { id, text: title }), ...children);
}

export function message(text, kind) {
  return el('p', { class: 'note ' + (kind || ''), role: kind === 'error' ? 'alert' : null, text });
}
