/** What every Flowlab chart has: a title, PNG export, compact margins and the app font. */
import type { ChartOption } from './chart-types';

export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** File name for the PNG export: the title in kebab-case. */
export function imageName(title: string): string {
  return (
    'flowlab-' +
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
  );
}

export function baseOption(title: string): ChartOption {
  return {
    animationDuration: 250,
    textStyle: { fontFamily: CHART_FONT, fontSize: 11 },
    title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13, fontWeight: 600, color: '#111827' } },
    toolbox: {
      right: 8,
      top: 2,
      itemSize: 13,
      feature: { saveAsImage: { title: 'Save as PNG', name: imageName(title), pixelRatio: 2, backgroundColor: '#ffffff' } },
    },
    grid: { left: 64, right: 24, top: 44, bottom: 44 },
  };
}

/** Escapes text for echarts' HTML tooltips: hostnames and names are attacker-controlled. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
