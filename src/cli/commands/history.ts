// `history [words]`: a workspace's past decisions from a terminal — full-text search over questions and
// stories that are not private, best match first, or the newest; with verdict, outcome, story and link.
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { buildDecisionView } from '../../present/decision-log.js';
import { ConsultService } from '../../service/consult-service.js';
import { loadCliKnowledge, openCliStore, printJson } from '../io.js';
import { renderDecisionsText } from '../render-history.js';

interface HistoryOptions {
  topic?: string;
  workspace: string;
  limit: string;
  json?: boolean;
}

export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .description("search a workspace's past decisions (questions and stories), best match first; the newest without words")
    .argument('[words...]', 'words to look for, e.g. networking incidents')
    .option('--topic <topic>', 'only this topic')
    .option('--workspace <workspace>', 'the workspace to search (one at a time: nothing crosses workspaces)', 'cli')
    .option('--limit <n>', 'how many', '10')
    .option('--json', 'print JSON')
    .action(async (words: string[], options: HistoryOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new InputError(`--limit must be a whole number from 1 to 100; got "${options.limit}".`);
      const kb = loadCliKnowledge();
      if (options.topic && !kb.topics.has(options.topic)) throw new InputError(`Unknown topic "${options.topic}". Expected one of: ${[...kb.topics.keys()].join(', ')}.`);
      const store = await openCliStore(program.opts<{ db?: string }>().db);
      try {
        const found = await new ConsultService(kb, store, undefined, null).findDecisions(options.workspace, {
          words: words.join(' '),
          limit,
          ...(options.topic ? { topic: options.topic } : {}),
        });
        if (options.json) {
          return printJson(found.map((d) => ({
            id: d.id,
            question: d.question,
            topic: d.topic,
            verdict: d.verdict,
            user: d.userId,
            createdAt: new Date(d.createdAt).toISOString(),
            notAdopted: d.notAdopted,
            failureModes: d.failureModes,
            estimates: d.estimates,
            // A private note is there (it counts) but its text is never printed.
            story: d.story ? { text: d.story.text, private: d.story.private, author: d.story.author ?? d.story.recordedBy, recordedAt: new Date(d.story.recordedAt).toISOString() } : null,
            link: d.link,
          })));
        }
        process.stdout.write(renderDecisionsText(found.map((d) => buildDecisionView(d, kb))));
      } finally {
        await store.close();
      }
    });
}
