// Learned recalibration across replicas: two ConsultServices (two processes' worth of caches) on one
// database. Outcomes recorded through one reach the other's verdicts within a minute, and at once on the
// one that recorded them.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_OUTCOMES_TO_RECALIBRATE } from '../../src/accuracy/recalibrate.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { ConsultService, type ConsultResult } from '../../src/service/consult-service.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.js';
import { KUBERNETES_ANSWERS } from '../helpers/answers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);
const WS = 'T0001';
const TARGET = 'rolling-update-inconsistent';
const clock = { t: Date.UTC(2025, 0, 6, 10), now: (): number => clock.t };
let store: SqliteStore;
let recorder: ConsultService;
let other: ConsultService;

beforeEach(() => {
  store = openSqliteStore(join(makeTempDir('rc-recal-replicas-'), 'rc.db'), { now: clock.t });
  recorder = new ConsultService(kb, store, clock);
  other = new ConsultService(kb, store, clock);
});

afterEach(async () => {
  await store.close();
  removeTempDirs();
});

const consult = (service: ConsultService): Promise<ConsultResult> =>
  service.consult({ workspace: WS, platform: 'slack', channel: 'C1', userId: 'U1', question: 'should we use kubernetes?', topic: 'kubernetes', answers: KUBERNETES_ANSWERS });

const probability = (r: ConsultResult): number => r.assessment.failureModes.find((f) => f.id === TARGET)!.probability;

describe('learned recalibration on several replicas', () => {
  it('reaches the other replica within a minute, and the recording one at once', async () => {
    // The other replica caches "nothing learned yet" (a workspace is kept from its second ask on).
    const raw = probability(await consult(other));
    expect(probability(await consult(other))).toBe(raw);
    for (let i = 0; i < MIN_OUTCOMES_TO_RECALIBRATE + 10; i++) {
      clock.t += 10;
      const { row } = await consult(recorder);
      await recorder.resolve(WS, row.id, { userId: 'U1', isAdmin: false }, { failureModes: { [TARGET]: true } });
    }
    clock.t += 1_000;
    expect(probability(await consult(recorder))).toBeGreaterThan(raw);
    // A second later the other replica still answers from its cache: it does not query every request…
    expect(probability(await consult(other))).toBe(raw);
    // …but its cache never outlives a minute.
    clock.t += 60_000;
    expect(probability(await consult(other))).toBeGreaterThan(raw);
  });
});
