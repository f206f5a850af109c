// `ask`, `detect` and `questions`: the consultation itself from a terminal.
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { getTopic } from '../../consult/assess.js';
import { detect } from '../../consult/detect.js';
import { InputError } from '../../errors.js';
import { buildDetectionView } from '../../present/detection.js';
import { ConsultService, checkQuestionText } from '../../service/consult-service.js';
import { historyJson } from '../../service/workspace-history.js';
import { askQuestions, chooseTopic } from '../interactive.js';
import { loadCliKnowledge, log, openCliStore, printJson, readJsonFile } from '../io.js';
import { renderVerdictText } from '../render.js';

const answersFileSchema = z.record(z.string(), z.union([z.string(), z.number().int()]));

export function cliUser(): string {
  return `cli:${operatorName()}`;
}

/** The person at the terminal, as a story's author is shown. */
export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}

interface AskOptions {
  answers?: string;
  json?: boolean;
  topic?: string;
  workspace: string;
  checkInDays?: string;
}

export async function runAsk(question: string, options: AskOptions, dbPath?: string): Promise<void> {
  const text = checkQuestionText(question);
  const kb = loadCliKnowledge();
  const detection = detect(kb, text);
  let topicId = options.topic ?? detection.topic;
  let answers: Record<string, string | number>;
  if (options.answers) {
    answers = readJsonFile(options.answers, answersFileSchema, 'answers');
    if (!topicId) {
      throw new InputError(
        `Could not tell which architecture topic "${text}" is about. Pass --topic with one of: ${[...kb.topics.keys()].join(', ')}.`,
      );
    }
  } else {
    if (!process.stdin.isTTY) throw new InputError('No terminal to ask the questions in: pass --answers FILE.');
    if (!options.topic) {
      log(detection.topic ? `Detected topic: ${detection.topic} (confidence ${detection.confidence})` : 'No topic detected.');
      const view = buildDetectionView(kb, detection);
      for (const line of [view.note, view.prompt && `${view.prompt} ${view.choices.map((c) => c.title).join(' / ')}`]) if (line) log(line);
      topicId = await chooseTopic(kb, detection.topic);
    }
    answers = await askQuestions(getTopic(kb, topicId!));
  }
  const store = await openCliStore(dbPath);
  try {
    const service = new ConsultService(kb, store);
    const checkInDays = options.checkInDays === undefined ? undefined : Number(options.checkInDays);
    const result = await service.consult({
      workspace: options.workspace,
      platform: 'cli',
      channel: null,
      userId: cliUser(),
      question: text,
      topic: getTopic(kb, topicId!).id,
      answers,
      ...(checkInDays !== undefined && Number.isFinite(checkInDays) ? { checkInDays } : {}),
    });
    if (options.json) printJson({ id: result.row.id, checkInAt: new Date(result.row.checkInAt).toISOString(), ...result.assessment, history: historyJson(result.history) });
    else process.stdout.write(`\n${renderVerdictText(result.view)}\n`);
  } finally {
    await store.close();
  }
}

export function registerConsultCommands(program: Command): void {
  program
    .command('ask')
    .description('consult on an architecture question (interactive, or --answers FILE)')
    .argument('<question>', 'the question, e.g. "should we use Kubernetes?"')
    .option('--answers <file>', 'JSON file mapping question id to choice id or 1-based number')
    .option('--topic <topic>', 'skip detection and use this topic')
    .option('--workspace <workspace>', 'workspace to record the consultation in', 'cli')
    .option('--check-in-days <days>', 'days until the check-in (default 90)')
    .option('--json', 'print the assessment as JSON')
    .action((question: string, options: AskOptions) => runAsk(question, options, program.opts<{ db?: string }>().db));

  program
    .command('detect')
    .description('detect the topic of a question (or of each stdin line when no text is given)')
    .argument('[text]', 'the question')
    .option('--json', 'print JSON')
    .action(async (text: string | undefined, options: { json?: boolean }) => {
      const kb = loadCliKnowledge();
      const print = (line: string, pretty: boolean): void => {
        const d = detect(kb, line);
        const out = { topic: d.topic, confidence: d.confidence, runnerUp: d.runnerUp, candidates: d.candidates, unsure: d.unsure, subject: d.subject, unmatchedTerms: d.unmatchedTerms };
        if (options.json || !pretty) return void process.stdout.write(`${JSON.stringify(out)}\n`);
        const view = buildDetectionView(kb, d);
        process.stdout.write(`${d.topic ?? '(not an architecture question)'}  confidence ${d.confidence}${d.runnerUp ? `, runner-up ${d.runnerUp}` : ''}\n`);
        for (const line of [view.note, view.prompt && `${view.prompt} ${view.choices.map((c) => c.topic).join(', ')}`]) if (line) process.stdout.write(`${line}\n`);
      };
      if (text !== undefined) return print(text, true);
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) if (line.trim()) print(line, false);
    });

  program
    .command('questions')
    .description("list a topic's questions and choices")
    .argument('<topic>', 'topic id')
    .option('--json', 'print JSON')
    .action((topicId: string, options: { json?: boolean }) => {
      const topic = getTopic(loadCliKnowledge(), topicId);
      const questions = topic.questions.map((q) => ({
        id: q.id,
        text: q.text,
        ...(q.when ? { when: q.when } : {}),
        choices: q.choices.map((c) => ({ id: c.id, label: c.label })),
      }));
      if (options.json) return printJson({ topic: topic.id, questions });
      for (const q of questions) {
        process.stdout.write(`${q.id}: ${q.text}${q.when ? `  (asked when ${JSON.stringify(q.when)})` : ''}\n`);
        q.choices.forEach((c, i) => process.stdout.write(`  ${i + 1}) ${c.id} — ${c.label}\n`));
      }
    });
}
