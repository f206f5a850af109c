// The Store contract, one suite run unchanged against every engine (test/store/sqlite.test.ts,
// test/store/postgres.test.ts): what the app may rely on whichever database is behind it.
import { describe } from 'vitest';
import { accessContract } from './contract/access.js';
import { consultationsContract } from './contract/consultations.js';
import { decisionsContract } from './contract/decisions.js';
import { gapsContract } from './contract/gaps.js';
import { storeContext, type ContractEngine } from './contract/context.js';
import { jobsContract } from './contract/jobs.js';
import { outcomesContract } from './contract/outcomes.js';
import { scoringContract } from './contract/scoring.js';
import { stateContract } from './contract/state.js';
import { tablesContract } from './contract/tables.js';
import { totalsContract } from './contract/totals.js';

export type { ContractEngine } from './contract/context.js';

export function describeStoreContract(name: string, engine: ContractEngine): void {
  describe(`${name}: the Store contract`, () => {
    const ctx = storeContext(engine);
    consultationsContract(ctx);
    outcomesContract(ctx);
    decisionsContract(ctx);
    jobsContract(ctx);
    stateContract(ctx);
    accessContract(ctx);
    tablesContract(ctx);
    gapsContract(ctx);
    totalsContract(ctx);
    scoringContract(ctx);
  });
}
