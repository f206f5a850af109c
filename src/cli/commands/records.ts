// `list`, `show`, `resolve`, `report` and `export adr`: the operator's view of stored consultations.
import type { Command } from 'commander';
import { z } from 'zod';
import { successMetrics } from '../../accuracy/success-metrics.js';
import { summariseAccuracy } from '../../accuracy/summary.js';
import type { Assessment } from '../../consult/assess.js';
import { InputError, NotFoundError } from '../../errors.js';
import { renderAdr } from '../../present/adr.js';
import { suggestedAlternative } from '../../present/check-in.js';
import { formatDate } from '../../present/format.js';
import { successMetricLines } from '../../present/success-metrics.js';
import { ConsultService, MAX_STORY_LENGTH } from '../../service/consult-service.js';
import type { OutcomeInput, Store, Story } from '../../store/index.js';
import { askOutcomes } from '../interactive.js';
import { loadCliKnowledge, openCliStore, printJson, readJsonFile } from '../io.js';
import { renderExplainText } from '../render.js';
import { operatorName } from './consult.js';

const outcomesFileSchema = z.strictObject({
  failureModes: z.record(z.string(), z.boolean().nullable()).default({}),
  actualCost: z.number().nonnegative().nullable().optional(),
  actualMonths: z.number().nonnegative().nullable().optional(),
  notAdopted: z.boolean().optional(),
  /** What happened, in a sentence or two; null or "" removes the note. */
  story: z.string().max(MAX_STORY_LENGTH).nullable().optional(),
  /** Keep the note private: it counts in the figures but is never quoted. Alone, it changes the note's privacy. */
  private: z.boolean().optional(),
  followedAlternative: z.boolean().nullable().optional(),
});

/** The file's story fields as the service takes them; `private` alone re-flags the note already kept. */
function storyFrom(file: z.infer<typeof outcomesFileSchema>, existing: Story | null): OutcomeInput['story'] {
  if (file.story === null) return null;
  if (file.story !== undefined) return { text: file.story, private: file.private ?? false, author: operatorName() };
  if (file.private === undefined) return undefined;
  if (!existing) throw new InputError('"private" needs a note: add "story" to the outcomes file.');
  return { text: existing.text, private: file.private, author: existing.author };
}

async function withStore<T>(program: Command, fn: (store: Store) => T | Promise<T>): Promise<T> {
  const store = await openCliStore(program.opts<{ db?: string }>().db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function findForOperator(store: Store, id: string) {
  const row = await store.consultations.getForOperator(id);
  if (!row) throw new NotFoundError(`No consultation "${id}". \`reality-check list\` shows the stored ones.`);
  return row;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InputError(`--limit must be a whole number from 1 to 10000; got "${value}".`);
  return n;
}

export function registerRecordCommands(program: Command): void {
  program
    .command('list')
    .description("list recent consultations (every workspace's, unless --workspace narrows it)")
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many', '20')
    .option('--workspace <workspace>', 'only this workspace')
    .action((options: { json?: boolean; limit: string; workspace?: string }) =>
      withStore(program, async (store) => {
        const limit = parseLimit(options.limit);
        const rows = await store.consultations.listForOperator({ limit, ...(options.workspace ? { workspace: options.workspace } : {}) });
        if (options.json) {
          return printJson(
            await Promise.all(rows.map(async (r) => ({
              id: r.id,
              workspace: r.workspace,
              platform: r.platform,
              user: r.userId,
              question: r.question,
              topic: r.topic,
              verdict: r.verdict,
              riskScore: r.riskScore,
              knowledgeVersion: r.knowledgeVersion,
              createdAt: new Date(r.createdAt).toISOString(),
              checkInAt: new Date(r.checkInAt).toISOString(),
              predictions: (await store.consultations.predictions(r.workspace, r.id)).map((p) => ({ failureMode: p.failureMode, probability: p.probability, happened: p.happened })),
              estimates: (await store.consultations.estimates(r.workspace, r.id)).map(({ kind, p10, p50, p90, unit, actual }) => ({ kind, p10, p50, p90, unit, actual })),
            }))),
          );
        }
        if (rows.length === 0) return void process.stdout.write('No consultations yet. Try: reality-check ask "should we use Kubernetes?"\n');
        for (const r of rows) {
          process.stdout.write(`${r.id}  ${formatDate(r.createdAt)}  ${r.workspace}  ${r.topic.padEnd(20)} ${r.verdict.padEnd(22)} ${r.question.slice(0, 60)}\n`);
        }
      }),
    );

  program
    .command('show')
    .description('show a consultation with its full reasoning')
    .argument('<id>', 'consultation id')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withStore(program, async (store) => {
        const row = await findForOperator(store, id);
        if (options.json) return printJson({ ...row, predictions: await store.consultations.predictions(row.workspace, id), estimates: await store.consultations.estimates(row.workspace, id) });
        const service = new ConsultService(loadCliKnowledge(), store);
        process.stdout.write(`${row.question}\n\n${renderExplainText(service.render(row).view)}\n`);
      }),
    );

  program
    .command('resolve')
    .description('record what happened: interactive, or --outcomes FILE')
    .argument('<id>', 'consultation id')
    .option('--outcomes <file>', 'JSON: {"failureModes": {"<id>": true|false}, "actualCost": n, "actualMonths": n, "notAdopted": bool, "followedAlternative": bool, "story": "what happened", "private": false}')
    .action((id: string, options: { outcomes?: string }) =>
      withStore(program, async (store) => {
        const row = await findForOperator(store, id);
        const service = new ConsultService(loadCliKnowledge(), store);
        let outcomes: OutcomeInput;
        if (options.outcomes) {
          const file = readJsonFile(options.outcomes, outcomesFileSchema, 'outcomes');
          const { story: _story, private: _private, ...rest } = file;
          const story = storyFrom(file, row.story);
          outcomes = { ...rest, ...(story === undefined ? {} : { story }) };
        } else {
          if (!process.stdin.isTTY) throw new InputError('No terminal to ask in: pass --outcomes FILE.');
          const assessment = row.assessment as Assessment;
          const names = new Map(assessment.failureModes.map((f) => [f.id, f.name]));
          outcomes = await askOutcomes(await store.consultations.predictions(row.workspace, id), names, operatorName(), suggestedAlternative(assessment) ?? undefined);
        }
        // The terminal is the operator's: it acts with a workspace admin's rights.
        await service.resolve(row.workspace, id, { userId: 'cli:operator', isAdmin: true }, outcomes);
        const resolved = (await store.consultations.predictions(row.workspace, id)).filter((p) => p.happened !== null).length;
        process.stderr.write(`Recorded outcomes for ${id}: ${resolved} failure-mode predictions resolved.\n`);
      }),
    );

  program
    .command('report')
    .description('accuracy so far: Brier score (0–1 binary form), calibration, cost/time interval hit-rate, and the four success metrics')
    .option('--json', 'print JSON')
    .option('--workspace <workspace>', 'only this workspace')
    .action((options: { json?: boolean; workspace?: string }) =>
      withStore(program, async (store) => {
        const forecasts = await store.consultations.resolvedForecastsForOperator(options.workspace);
        const estimates = await store.consultations.resolvedEstimatesForOperator(options.workspace);
        const summary = summariseAccuracy(forecasts, estimates);
        const metrics = successMetrics(summary, forecasts, estimates);
        // The summary's fields stay where tools already read them; the four metrics sit beside them by name.
        if (options.json) return printJson({ ...summary, ...metrics });
        const f = (x: number | null, d = 3): string => (x === null ? '—' : x.toFixed(d));
        process.stdout.write(
          [
            `Resolved failure-mode predictions: ${summary.resolved}`,
            `Brier score (0–1 binary form, lower is better): ${f(summary.brier)}   always-the-base-rate baseline: ${f(summary.baselineBrier)}`,
            `Log score: ${f(summary.logScore)}`,
            summary.murphy ? `Reliability ${f(summary.murphy.reliability)}  resolution ${f(summary.murphy.resolution)}  uncertainty ${f(summary.murphy.uncertainty)}` : '',
            `Cost inside p10–p90: ${summary.cost.hitRate === null ? '—' : `${Math.round(summary.cost.hitRate * 100)}%`} of ${summary.cost.resolved} (target 80%)`,
            `Time inside p10–p90: ${summary.time.hitRate === null ? '—' : `${Math.round(summary.time.hitRate * 100)}%`} of ${summary.time.resolved} (target 80%)`,
            summary.resolved === 0 ? 'No resolved predictions yet.' : '',
          ]
            .filter(Boolean)
            .concat(['', 'Success metrics:', ...successMetricLines(metrics).map((l) => `  ${l}`)])
            .join('\n') + '\n',
        );
      }),
    );

  program
    .command('export')
    .description('export a consultation')
    .argument('<format>', 'adr (MADR 4 markdown)')
    .argument('<id>', 'consultation id')
    .action((format: string, id: string) =>
      withStore(program, async (store) => {
        if (format !== 'adr') throw new InputError(`Unknown export format "${format}"; expected: adr.`);
        const row = await findForOperator(store, id);
        const { view } = new ConsultService(loadCliKnowledge(), store).render(row);
        process.stdout.write(renderAdr(view, { date: formatDate(row.createdAt), askedBy: row.userId }));
      }),
    );
}
