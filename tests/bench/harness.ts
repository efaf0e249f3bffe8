/**
 * The bench's bookkeeping: medians over repeated runs, each figure beside a baseline measured in
 * the same run, a printed table, and bench-results.json in design.md §11's format.
 */
import { writeFile } from 'node:fs/promises';

export interface Figure {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number;
  baseline: { name: string; median: number } | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function figure(name: string, unit: string, samples: readonly number[], baseline: Figure | null = null): Figure {
  return {
    name,
    unit,
    median: round(median(samples)),
    min: round(Math.min(...samples)),
    max: round(Math.max(...samples)),
    runs: samples.length,
    baseline: baseline === null ? null : { name: baseline.name, median: baseline.median },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export function printTable(figures: readonly Figure[]): void {
  const rows = figures.map((item) => [
    item.name,
    `${item.median} ${item.unit}`,
    `${item.min}–${item.max}`,
    String(item.runs),
    item.baseline === null ? '' : `${item.baseline.name}: ${item.baseline.median} (×${round(item.median / item.baseline.median)})`,
  ]);
  const header = ['figure', 'median', 'min–max', 'runs', 'baseline (same run)'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

export async function writeResults(figures: readonly Figure[], file = 'bench-results.json'): Promise<void> {
  await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`, 'utf8');
}
