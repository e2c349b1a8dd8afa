/** Browser-side checks for the browser-mode test (run in the page through Playwright). */
import type { Page } from 'playwright-core';

/** Per canvas under `selector`: its size and how many sampled pixels are painted (not blank). */
export async function canvasInk(page: Page, selector: string): Promise<{ width: number; height: number; painted: number }[]> {
  return page.$$eval(selector, (canvases) =>
    (canvases as HTMLCanvasElement[]).map((canvas) => {
      const context = canvas.getContext('2d');
      let painted = 0;
      if (context && canvas.width && canvas.height) {
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        // Sample every 16th pixel: anything neither transparent nor white counts as ink.
        for (let offset = 0; offset < data.length; offset += 64) {
          const alpha = data[offset + 3]!;
          const white = data[offset]! > 245 && data[offset + 1]! > 245 && data[offset + 2]! > 245;
          if (alpha > 0 && !white) painted++;
        }
      }
      return { width: canvas.width, height: canvas.height, painted };
    }),
  );
}

/** "1,234 flows" → 1234 ("1 flow" → 1). */
export function parseCount(text: string | null): number {
  const match = /([\d,]+) flows?\b/.exec(text ?? '');
  return match ? Number(match[1]!.replaceAll(',', '')) : Number.NaN;
}
