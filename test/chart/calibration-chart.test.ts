// The calibration chart renders to a real PNG without a browser, for an empty table and a full one.
import { describe, expect, it } from 'vitest';
import { calibrationTable } from '../../src/accuracy/calibration.js';
import type { BinaryForecast } from '../../src/accuracy/types.js';
import { calibrationSpec, renderCalibrationPng } from '../../src/chart/calibration-chart.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which must come first right after the signature. */
function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.readUInt32BE(8)).toBe(13); // IHDR data length
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function expectPng(png: Buffer): { width: number; height: number } {
  expect(Buffer.isBuffer(png)).toBe(true);
  expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  // Ends with the IEND chunk.
  expect(png.subarray(png.length - 8, png.length - 4).toString('latin1')).toBe('IEND');
  const size = ihdr(png);
  expect(size.width).toBeGreaterThanOrEqual(400);
  expect(size.height).toBeGreaterThanOrEqual(400);
  expect(size.width).toBeLessThanOrEqual(4000);
  expect(size.height).toBeLessThanOrEqual(4000);
  return size;
}

/** A deterministic spread of forecasts over every bin, with outcomes roughly following p. */
function forecasts(n: number): BinaryForecast[] {
  return Array.from({ length: n }, (_, i) => {
    const p = ((i * 37) % 100) / 100 + 0.005;
    return { p, outcome: ((i * 53) % 100) / 100 < p ? 1 : 0 };
  });
}

describe('renderCalibrationPng', () => {
  it('renders an empty table (no resolved predictions) as a PNG', async () => {
    const rows = calibrationTable([]);
    expect(rows.every((r) => r.count === 0)).toBe(true);
    const png = await renderCalibrationPng(rows, 'Calibration up to 2025-W11');
    expectPng(png);
  });

  it('renders a full table as a PNG of a sensible size', async () => {
    const rows = calibrationTable(forecasts(400));
    expect(rows.filter((r) => r.count > 0)).toHaveLength(10);
    const png = await renderCalibrationPng(rows, 'Calibration up to 2025-W11');
    expectPng(png);
    expect(png.length).toBeGreaterThan(2_000);

    // Rendering is deterministic, and the data shows: a full chart is not the empty one.
    expect((await renderCalibrationPng(rows, 'Calibration up to 2025-W11')).equals(png)).toBe(true);
    const empty = await renderCalibrationPng(calibrationTable([]), 'Calibration up to 2025-W11');
    expect(png.equals(empty)).toBe(false);
  });

  it('plots only the non-empty bins, on fixed 0–1 axes', () => {
    const rows = calibrationTable([{ p: 0.15, outcome: 1 }, { p: 0.15, outcome: 0 }, { p: 0.85, outcome: 1 }]);
    const spec = calibrationSpec(rows, 't') as unknown as { layer: Array<{ data: { values: unknown[] }; encoding: { x: { scale?: { domain: number[] } } } }> };
    const points = spec.layer[1]!.data.values as Array<{ predicted: number; observed: number; count: number }>;
    expect(points).toHaveLength(2);
    expect(points[0]).toEqual({ predicted: 0.15, observed: 0.5, count: 2 });
    expect(points[1]).toEqual({ predicted: 0.85, observed: 1, count: 1 });
    expect(spec.layer[1]!.encoding.x.scale?.domain).toEqual([0, 1]);
  });
});
