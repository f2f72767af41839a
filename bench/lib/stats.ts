/** Figures as the issue asks: median of ≥ 3 runs with min–max, beside a same-run baseline. */

export interface Series {
  runs: number[];
  median: number;
  min: number;
  max: number;
}

export function series(runs: number[]): Series {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs, median, min: sorted[0]!, max: sorted.at(-1)! };
}

export interface Figure {
  part: string;
  name: string;
  unit: string;
  /** undefined when not measured */
  value?: Series;
  baselineName?: string;
  baseline?: Series;
  /** value / baseline (medians) */
  ratio?: number;
  target: string;
  /** whether the target is met; undefined when it cannot be judged */
  met?: boolean;
  note?: string;
}

/** Added to the note of every figure that misses its target (a missed target is reported with its reason). */
export const WHY_MISSED = 'why it misses and what would close it: bench/README.md, "Targets missed"';

/**
 * Rounded to what a run's noise allows (a few per cent between runs on a quiet machine): whole
 * numbers from 10 up, one decimal below 10, two below 1 — never "3.00 ms" for a figure known
 * to ±0.2 ms.
 */
export function fmt(n: number): string {
  if (n >= 10) return Math.round(n).toLocaleString('en-US');
  if (n >= 1) return n.toFixed(1);
  return n.toFixed(2);
}

function cell(s: Series | undefined, unit: string): string {
  if (!s) return '—';
  return `${fmt(s.median)} ${unit} (${fmt(s.min)}–${fmt(s.max)})`;
}

export function markdownTable(figures: Figure[]): string {
  const lines = [
    '| # | Figure | yeon, median (min–max) | Baseline, median (min–max) | Ratio | Target | Met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const measured = f.value ? cell(f.value, f.unit) : `not measured${f.note ? `: ${f.note}` : ''}`;
    const base = f.baseline ? `${f.baselineName}: ${cell(f.baseline, f.unit)}` : (f.baselineName ?? '—');
    const ratio = f.ratio !== undefined ? `${(f.ratio * 100).toFixed(0)} %` : '—';
    const met = f.met === undefined ? '—' : f.met ? 'yes' : 'no';
    lines.push(`| ${f.part} | ${f.name} | ${measured} | ${base} | ${ratio} | ${f.target} | ${met} |`);
  }
  const notes = figures.filter((f) => f.value && f.note).map((f) => `- ${f.part} ${f.name}: ${f.note}`);
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
