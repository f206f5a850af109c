// The outcome-learning migration (sqlite/0007, postgres/0003) on a database that already has data:
// old estimates get their shown quantiles as the model's, old predictions the severity their stored
// assessment showed, consultations an unanswered "followed the alternative"; then the store reads them.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../src/paths.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { migrate as migratePostgres } from '../../src/store/postgres/migrate.js';
import { createPool } from '../../src/store/postgres/pool.js';
import { migrate as migrateSqlite, openDatabase } from '../../src/store/sqlite/database.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/types.js';
import { createTestDatabase, onDatabase, pgAvailable, POSTGRES_REQUIRED, type TestDatabase } from '../helpers/postgres.js';
import { migrationsBefore } from '../helpers/migrations.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

const ASSESSMENT = JSON.stringify({
  failureModes: [
    { id: 'ops-burden', severity: 'high' },
    { id: 'skills-gap', severity: 'low' },
    { id: 'odd', severity: 'catastrophic' },
  ],
  cost: { p10: 1, p50: 2, p90: 3 },
});

/** Rows as the old schema had them: one consultation with a real assessment, one with none to speak of. */
const OLD_ROWS: Array<[string, unknown[]]> = [
  [
    `INSERT INTO consultations (id, workspace, platform, channel, user_id, question, topic, knowledge_version, answers_json, verdict, risk_score, assessment_json, created_at, check_in_at)
     VALUES ('rc-a', 'T1', 'cli', NULL, 'U1', 'q', 'kubernetes', 'v1', '{}', 'adopt', 0.2, ?, 1, 2), ('rc-b', 'T1', 'cli', NULL, 'U1', 'q', 'kubernetes', 'v1', '{}', 'adopt', 0.2, '{"n":1}', 1, 2)`,
    [ASSESSMENT],
  ],
  [
    `INSERT INTO predictions (consultation_id, workspace, topic, failure_mode, probability, model_probability, horizon_months, knowledge_version, created_at)
     VALUES ('rc-a', 'T1', 'kubernetes', 'ops-burden', 0.6, 0.6, 6, 'v1', 1), ('rc-a', 'T1', 'kubernetes', 'skills-gap', 0.3, 0.3, 6, 'v1', 1),
            ('rc-a', 'T1', 'kubernetes', 'odd', 0.3, 0.3, 6, 'v1', 1), ('rc-a', 'T1', 'kubernetes', 'gone', 0.3, 0.3, 6, 'v1', 1),
            ('rc-b', 'T1', 'kubernetes', 'ops-burden', 0.5, 0.5, 6, 'v1', 1)`,
    [],
  ],
  [`INSERT INTO estimates (consultation_id, workspace, kind, p10, p50, p90, unit) VALUES ('rc-a', 'T1', 'time', 2, 4, 9, 'months'), ('rc-a', 'T1', 'cost', 10, 20, 50, 'USD')`, []],
];

async function expectMigrated(store: Store): Promise<void> {
  await store.consultations.recordOutcomes('T1', 'rc-a', { failureModes: { 'ops-burden': true, 'skills-gap': false, odd: true, gone: false }, actualMonths: 6, actualCost: 30 }, 'U1', NOW);
  await store.consultations.recordOutcomes('T1', 'rc-b', { failureModes: { 'ops-burden': false } }, 'U1', NOW);
  const severities = (await store.consultations.resolvedForecasts('T1')).map((r) => [r.consultationId, r.failureMode, r.severity, r.followedAlternative]);
  expect(severities).toEqual([
    ['rc-a', 'ops-burden', 'high', null],
    ['rc-a', 'skills-gap', 'low', null],
    ['rc-a', 'odd', null, null],
    ['rc-a', 'gone', null, null],
    ['rc-b', 'ops-burden', null, null],
  ]);
  const estimates = (await store.consultations.resolvedEstimates('T1')).map((r) => [r.kind, r.p10, r.p50, r.p90, r.modelP10, r.modelP50, r.modelP90]);
  expect(estimates).toEqual([
    ['time', 2, 4, 9, 2, 4, 9],
    ['cost', 10, 20, 50, 10, 20, 50],
  ]);
  expect((await store.consultations.get('T1', 'rc-a'))?.followedAlternative).toBeNull();
}

describe('SQLite: 0007_outcome_learning on a database with data', () => {
  afterAll(() => removeTempDirs());

  it('fills model quantiles and severities from what was stored, then reads them', async () => {
    const path = join(makeTempDir(), 'rc.db');
    const db = openDatabase(path);
    migrateSqlite(db, migrationsBefore(SQLITE_MIGRATIONS, '0007_outcome_learning'), NOW);
    for (const [sql, params] of OLD_ROWS) db.prepare(sql).run(...params);
    db.close();
    const store = openSqliteStore(path, { now: NOW });
    try {
      await expectMigrated(store);
    } finally {
      await store.close();
    }
  });
});

const available = await pgAvailable();

describe.skipIf(!available && !POSTGRES_REQUIRED)('PostgreSQL: 0003_outcome_learning on a database with data', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    removeTempDirs();
  });

  it('fills model quantiles and severities from what was stored, then reads them', async () => {
    const pool = createPool(database.url);
    try {
      await migratePostgres(pool, migrationsBefore(POSTGRES_MIGRATIONS, '0003_outcome_learning'), NOW);
    } finally {
      await pool.pool.end();
    }
    await onDatabase(database.url, async (client) => {
      for (const [sql, params] of OLD_ROWS) {
        let i = 0;
        await client.query(sql.replace(/\?/g, () => `$${++i}`), params);
      }
    });
    const store = await openPostgresStore(database.url, { now: NOW });
    try {
      await expectMigrated(store);
    } finally {
      await store.close();
    }
  });
});
