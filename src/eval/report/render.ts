import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';

/** PNGs are drawn at twice the SVG's size, sharp enough for a README or a slide. */
export const PNG_SCALE = 2;

/**
 * Vega-Lite → Vega → SVG with vega's headless renderer (no browser, no canvas: text
 * widths are estimated), then SVG → PNG with resvg, which ships its binary in npm.
 */
export async function renderChart(spec: TopLevelSpec): Promise<{ svg: string; png: Buffer; width: number; height: number }> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const image = new Resvg(svg, {
      background: 'white',
      fitTo: { mode: 'zoom', value: PNG_SCALE },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    }).render();
    return { svg, png: image.asPng(), width: image.width, height: image.height };
  } finally {
    view.finalize();
  }
}
