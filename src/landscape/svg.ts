/**
 * Inline SVG charts for the dashboard: horizontal bars and histograms. No script, no external resources;
 * every text is escaped. Each chart is an `<svg role="img">` with a `<title>` and per-bar `<title>` tooltips.
 */

/** Escape text for HTML/SVG content and attribute values. */
export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export interface Bar {
  label: string;
  value: number;
  /** Text after the bar (default: the value). */
  note?: string;
  /** Tooltip. */
  title?: string;
}

/** Horizontal bar chart: one row per bar, label on the left, value after the bar. */
export function hbarChart(bars: readonly Bar[], opts: { title: string; width?: number; labelWidth?: number; color?: string; max?: number }): string {
  const width = opts.width ?? 720;
  const labelW = opts.labelWidth ?? 260;
  const noteW = 150;
  const rowH = 22;
  const height = Math.max(1, bars.length) * rowH + 8;
  const max = opts.max ?? Math.max(1, ...bars.map((b) => b.value));
  const plotW = width - labelW - noteW;
  const rows = bars
    .map((b, i) => {
      const y = 4 + i * rowH;
      const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, (b.value / max) * plotW) : 0;
      const label = b.label.length > 42 ? `${b.label.slice(0, 41)}…` : b.label;
      return (
        `<g class="bar"><title>${esc(b.title ?? `${b.label}: ${b.note ?? fmt(b.value)}`)}</title>` +
        `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end" class="lbl">${esc(label)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" rx="2" fill="${esc(opts.color ?? '#3b6fb6')}" data-value="${esc(b.value)}"/>` +
        `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}" class="val">${esc(b.note ?? fmt(b.value))}</text></g>`
      );
    })
    .join('');
  return (
    `<svg class="chart" role="img" aria-label="${esc(opts.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(opts.title)}</title>${bars.length ? rows : `<text x="10" y="18" class="lbl">no data</text>`}</svg>`
  );
}

/** Vertical histogram: one column per bin, count above, bin label below. */
export function histogram(bins: readonly { label: string; servers: number }[], opts: { title: string; xLabel: string; width?: number; color?: string }): string {
  const width = opts.width ?? 520;
  const height = 240;
  const top = 20;
  const bottom = 48;
  const left = 36;
  const plotH = height - top - bottom;
  const n = Math.max(1, bins.length);
  const slot = (width - left - 10) / n;
  const max = Math.max(1, ...bins.map((b) => b.servers));
  const cols = bins
    .map((b, i) => {
      const h = (b.servers / max) * plotH;
      const x = left + i * slot + 3;
      const y = top + plotH - h;
      return (
        `<g class="bin"><title>${esc(`${opts.xLabel} ${b.label}: ${b.servers} server${b.servers === 1 ? '' : 's'}`)}</title>` +
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, slot - 6).toFixed(1)}" height="${h.toFixed(1)}" fill="${esc(opts.color ?? '#3b6fb6')}" data-value="${b.servers}"/>` +
        `<text x="${(x + (slot - 6) / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" class="val">${b.servers}</text>` +
        `<text x="${(x + (slot - 6) / 2).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle" class="tick">${esc(b.label)}</text></g>`
      );
    })
    .join('');
  return (
    `<svg class="chart" role="img" aria-label="${esc(opts.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(opts.title)}</title>` +
    `<line x1="${left}" y1="${top + plotH}" x2="${width - 6}" y2="${top + plotH}" class="axis"/>` +
    `<text x="${left}" y="${top - 6}" class="tick">servers</text>` +
    cols +
    `<text x="${(left + width) / 2}" y="${height - 8}" text-anchor="middle" class="tick">${esc(opts.xLabel)}</text></svg>`
  );
}
