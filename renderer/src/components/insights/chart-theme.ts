import { onUnmounted, shallowRef, type ShallowRef } from 'vue';
import type { ChartTheme } from './chart-data';

const SERIES_VARIABLES = Array.from({ length: 12 }, (_, index) => `--chart-${String(index + 1)}`);

/** The chart colours from the CSS variables (styles.css), as the current color scheme sets them. */
export function readChartTheme(root: Element, reducedMotion: boolean): ChartTheme {
  const style = getComputedStyle(root);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#1d1f23'),
    muted: read('--muted', '#575c65'),
    grid: read('--line', '#e3e5e8'),
    panel: read('--panel', '#ffffff'),
    series: SERIES_VARIABLES.map((name) => read(name, '#2457c5')),
    animate: !reducedMotion,
  };
}

/**
 * The chart theme, read again when the color scheme or the motion preference changes (the
 * charts re-render with it); the media listeners go when the component does.
 */
export function useChartTheme(): ShallowRef<ChartTheme> {
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
  const theme = shallowRef(readChartTheme(document.documentElement, reduced.matches));
  const reread = (): void => {
    theme.value = readChartTheme(document.documentElement, reduced.matches);
  };
  dark.addEventListener('change', reread);
  reduced.addEventListener('change', reread);
  onUnmounted(() => {
    dark.removeEventListener('change', reread);
    reduced.removeEventListener('change', reread);
  });
  return theme;
}
