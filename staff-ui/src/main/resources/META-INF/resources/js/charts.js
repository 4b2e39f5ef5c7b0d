// Chart.js (shipped in the tally-service jar as a WebJar, loaded by index.html as window.Chart). Animations are off:
// live updates should not flicker, and screenshots show the final state. Every chart has a table beside it.
import { t, current, direction } from './i18n.js';

const palette = ['#1f4e99', '#b34700', '#2e7d32', '#6a1b9a', '#8b1a1a', '#00695c', '#5d4037', '#37474f', '#ad1457', '#4e5b00'];

// In the page's language: Chart.js formats its ticks and tooltips with the locale; right to left, legends and
// tooltips read from the right, the horizontal axis runs from the right and the vertical one stands at the right.
function base(type, options) {
  const rtl = direction() === 'rtl';
  const opts = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false, locale: current(),
    plugins: { legend: { display: type !== 'bar' } } }, options || {});
  opts.plugins = Object.assign({}, opts.plugins, { legend: Object.assign({ rtl }, opts.plugins.legend), tooltip: { rtl } });
  if (rtl && type !== 'doughnut') {
    const scales = opts.scales || {};
    opts.scales = Object.assign({}, scales, { x: Object.assign({}, scales.x, { reverse: true }),
      y: Object.assign({}, scales.y, { position: 'right' }) });
  }
  return { type, options: opts };
}

/** A chart on a new canvas inside a fixed-height box; the canvas is labelled for screen readers. */
export function chart(label, type, options) {
  const box = document.createElement('div');
  box.className = 'chart';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('chart.label', { label }));
  box.appendChild(canvas);
  const config = base(type, options);
  config.data = { labels: [], datasets: [] };
  const instance = new window.Chart(canvas, config);
  return {
    node: box,
    set(labels, datasets) {
      instance.data.labels = labels;
      instance.data.datasets = datasets.map((d, i) => Object.assign({
        backgroundColor: type === 'doughnut' ? palette : (d.color || palette[i % palette.length]),
        borderColor: type === 'line' ? palette[i % palette.length] : undefined,
      }, d));
      instance.update();
    },
    destroy: () => instance.destroy(),
  };
}

export const colors = palette;
