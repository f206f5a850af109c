// The calibration chart as a PNG: vega-lite spec → vega SVG (no browser) → resvg PNG, with the
// system fonts. Predicted probability per bin against how often it happened; the diagonal is perfect.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { CalibrationRow } from '../accuracy/calibration.js';

export function calibrationSpec(rows: readonly CalibrationRow[], title: string): TopLevelSpec {
  const points = rows
    .filter((r) => r.count > 0)
    .map((r) => ({ predicted: r.meanForecast, observed: r.observedRate, count: r.count }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, fontSize: 14 },
    width: 420,
    height: 420,
    background: 'white',
    padding: 16,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: 'line', strokeDash: [4, 4], color: '#9ca3af' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: points },
        mark: { type: 'line', point: true, color: '#2563eb' },
        encoding: {
          x: { field: 'predicted', type: 'quantitative', title: 'Predicted probability', scale: { domain: [0, 1] } },
          y: { field: 'observed', type: 'quantitative', title: 'Observed frequency', scale: { domain: [0, 1] } },
        },
      },
      {
        data: { values: points },
        mark: { type: 'text', dy: -10, fontSize: 10, color: '#374151' },
        encoding: { x: { field: 'predicted', type: 'quantitative' }, y: { field: 'observed', type: 'quantitative' }, text: { field: 'count', type: 'quantitative' } },
      },
    ],
  };
}

export async function renderCalibrationPng(rows: readonly CalibrationRow[], title: string): Promise<Buffer> {
  const spec = compile(calibrationSpec(rows, title)).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  return Buffer.from(png);
}
