// The learned calibration kept in the database (bench:scale): a process that has not seen a workspace
// yet reads the stored fit instead of refitting from every resolved prediction, refits only when the
// outcomes moved on (or the stored fit has another shape), and holds a bounded number in memory.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecalibrationCache, parseLearned, serialiseLearned } from '../../src/service/recalibration.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.js';
import { saved, START } from '../store/contract/context.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  removeTempDirs();
});

async function storeWithOutcomes(workspaces: string[], perWorkspace = 8): Promise<SqliteStore> {
  const store = openSqliteStore(join(makeTempDir(), 'rc.db'));
  stores.push(store);
  for (const workspace of workspaces) {
    for (let i = 0; i < perWorkspace; i++) {
      const c = await saved(store, { workspace });
      await store.consultations.recordOutcomes(workspace, c.id, { failureModes: { 'ops-burden': true, 'skills-gap': i % 2 === 0, 'cost-overrun': false } }, 'U1', START + i);
    }
  }
  return store;
}

describe('recalibration kept in the database', () => {
  it('a second process uses the stored fit, and refits once outcomes move on', async () => {
    const store = await storeWithOutcomes(['T1']);
    const first = new RecalibrationCache(store, () => START);
    const learned = await first.learned('T1');
    expect(learned.total).toBe(24);

    const reads = vi.spyOn(store.consultations, 'resolvedForecasts');
    const second = new RecalibrationCache(store, () => START);
    expect(await second.learned('T1')).toStrictEqual(learned);
    expect(reads).not.toHaveBeenCalled();

    const c = await saved(store);
    await store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': false } }, 'U1', START);
    const third = new RecalibrationCache(store, () => START);
    expect((await third.learned('T1')).total).toBe(25);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('a stored fit of another shape (older code) or unreadable is refit', async () => {
    const store = await storeWithOutcomes(['T1']);
    const version = await store.consultations.outcomeVersion('T1');
    for (const model of ['{"shape":"total","learned":{"total":1}}', 'not json']) {
      await store.consultations.saveLearnedCalibration('T1', version, model, START);
      expect((await new RecalibrationCache(store, () => START).learned('T1')).total).toBe(24);
    }
    expect(parseLearned((await store.consultations.learnedCalibration('T1'))!.model)).toBeDefined();
  });

  it('round-trips a fit through its JSON', async () => {
    const store = await storeWithOutcomes(['T1'], 24);
    const learned = await new RecalibrationCache(store, () => START).learned('T1');
    expect(learned.perMode.size).toBeGreaterThan(0);
    expect(parseLearned(serialiseLearned(learned))).toStrictEqual(learned);
  });

  it('holds at most maxWorkspaces workspaces in memory', async () => {
    const workspaces = Array.from({ length: 12 }, (_, i) => `T${i}`);
    const store = await storeWithOutcomes(workspaces);
    const cache = new RecalibrationCache(store, () => START, 30_000, 5);
    for (let ask = 0; ask < 2; ask++) for (const w of workspaces) await cache.learned(w);
    expect(cache.size).toBe(5);
  });

  it('keeps a workspace from its second ask on: one-off asks hold nothing, a kept one is not read again', async () => {
    const workspaces = Array.from({ length: 12 }, (_, i) => `T${i}`);
    const store = await storeWithOutcomes(workspaces);
    const cache = new RecalibrationCache(store, () => START, 30_000, 5);
    for (const w of workspaces) await cache.learned(w);
    expect(cache.size).toBe(0);
    const first = await cache.learned('T3');
    expect(cache.size).toBe(1);
    const versions = vi.spyOn(store.consultations, 'outcomeVersion');
    expect(await cache.learned('T3')).toStrictEqual(first);
    expect(versions).not.toHaveBeenCalled();
    // Names asked once are forgotten too, oldest first: T0 was asked once, 4 × 5 names ago.
    for (let i = 0; i < 20; i++) await cache.learned(`X${i}`);
    await cache.learned('T0');
    expect(cache.size).toBe(1);
  });
});
