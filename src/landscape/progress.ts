/**
 * Progress of a landscape run on stderr: a bar redrawn in place on a terminal (counts, rate, ETA, what is
 * running), one plain line per finished server otherwise (logs, CI).
 */
import type { ServerOutcome } from './types.js';

export type ProgressMode = 'bar' | 'lines' | 'none';

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** `1h 02m`, `3m 20s`, `12s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export class Progress {
  private ok = 0;
  private failed = 0;
  private doneNow = 0;
  private readonly running = new Map<number, string>();
  private readonly t0: number;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly doneBefore: number,
    private readonly stream: ProgressStream,
    private readonly mode: ProgressMode,
    private readonly now: () => number = Date.now,
  ) {
    this.t0 = now();
  }

  get done(): number {
    return this.doneBefore + this.doneNow;
  }

  start(id: number, label: string): void {
    this.running.set(id, label);
    this.draw(false);
  }

  finish(id: number, label: string, o: Pick<ServerOutcome, 'status' | 'findings' | 'rOverall' | 'ms' | 'errorCode' | 'errorMessage' | 'noSource' | 'partial'>): void {
    this.running.delete(id);
    this.doneNow++;
    if (o.status === 'ok') this.ok++;
    else this.failed++;
    if (this.mode === 'lines') {
      const width = String(this.total).length;
      const what =
        o.status === 'ok'
          ? `${o.findings} finding${o.findings === 1 ? '' : 's'}, R ${o.rOverall.toFixed(1)}${o.noSource ? ', no source files' : ''}${o.partial ? ', partial' : ''}`
          : `${o.errorCode ?? 'failed'}: ${(o.errorMessage ?? '').split('\n')[0]}`;
      this.stream.write(`[${String(this.done).padStart(width)}/${this.total}] ${o.status === 'ok' ? 'ok    ' : 'failed'} ${label} — ${what} (${(o.ms / 1000).toFixed(1)} s)\n`);
    } else this.draw(true);
  }

  /** Servers per minute in this session, and the time left at that rate. */
  rate(): { perMinute: number; etaMs: number } {
    const elapsed = this.now() - this.t0;
    const perMinute = elapsed > 0 ? (this.doneNow / elapsed) * 60000 : 0;
    const left = this.total - this.done;
    return { perMinute, etaMs: perMinute > 0 ? (left / perMinute) * 60000 : NaN };
  }

  line(width = 100): string {
    const { perMinute, etaMs } = this.rate();
    const barW = 24;
    const frac = this.total ? this.done / this.total : 1;
    const full = Math.round(frac * barW);
    const bar = `${'█'.repeat(full)}${'░'.repeat(barW - full)}`;
    const running = [...this.running.values()].join(', ');
    const earlier = this.doneBefore ? ` · ${this.doneBefore} done before` : '';
    const head = `${bar} ${this.done}/${this.total} · ok ${this.ok} · failed ${this.failed}${earlier} · ${perMinute.toFixed(1)}/min · ETA ${this.doneNow ? formatDuration(etaMs) : '?'}`;
    const full2 = running ? `${head} · ${running}` : head;
    return full2.length > width ? `${full2.slice(0, width - 1)}…` : full2;
  }

  private draw(force: boolean): void {
    if (this.mode !== 'bar') return;
    const t = this.now();
    if (!force && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    const width = Math.max(40, (this.stream.columns ?? 100) - 1);
    this.stream.write(`\r\x1b[2K${this.line(width)}`);
    this.drawn = true;
  }

  /** End the bar line (before other output). */
  close(): void {
    if (this.mode === 'bar' && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
