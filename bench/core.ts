// `npm run bench`: knowledge load time, the detection index's first build, and detect and detect+assess
// latency over 10,000 consultations. Goals on the 2-core machine: load < 200 ms, detect p99 < 200 µs,
// detect+assess p99 < 1 ms.
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../src/accuracy/random.js';
import { assess } from '../src/consult/assess.js';
import { detect } from '../src/consult/detect.js';
import { applicableQuestions } from '../src/consult/questionnaire.js';
import { loadKnowledge, type KnowledgeBase } from '../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../src/paths.js';
import { loadDetectionSet } from './detect-metrics.js';
import { fmt, summarise } from './stats.js';

// Every phrasing of the detection set: short, long, typos, chatter.
const QUESTIONS = loadDetectionSet().map((e) => e.text);

function randomAnswers(kb: KnowledgeBase, topicId: string, random: () => number): Record<string, string> {
  const topic = kb.topics.get(topicId)!;
  const answers: Record<string, string> = {};
  for (let q = applicableQuestions(topic, answers).find((x) => !answers[x.id]); q; q = applicableQuestions(topic, answers).find((x) => !answers[x.id])) {
    answers[q.id] = q.choices[Math.floor(random() * q.choices.length)]!.id;
  }
  return answers;
}

const loads: number[] = [];
let kb!: KnowledgeBase;
for (let i = 0; i < 21; i++) {
  const t0 = performance.now();
  kb = loadKnowledge(KNOWLEDGE_DIR);
  loads.push(performance.now() - t0);
}
const tIndex = performance.now();
detect(kb, 'should we use kubernetes?');
const firstDetect = performance.now() - tIndex;
const random = mulberry32(42);
const detectOnly: number[] = [];
const assessOnly: number[] = [];
const N = 10_000;
const latencies: number[] = [];
for (let i = 0; i < N + 1000; i++) {
  const text = QUESTIONS[i % QUESTIONS.length]!;
  const topic = detect(kb, text).topic ?? 'general';
  const answers = randomAnswers(kb, topic, random);
  const t0 = performance.now();
  const d = detect(kb, text);
  const t1 = performance.now();
  assess(kb, d.topic ?? 'general', answers);
  const t2 = performance.now();
  if (i >= 1000) {
    // the first 1,000 warm the JIT
    detectOnly.push(t1 - t0);
    assessOnly.push(t2 - t1);
    latencies.push(t2 - t0);
  }
}
// Detection remembers words it has seen; a word never seen before costs a typo search and a prefix search.
const unseen: number[] = [];
const letters = 'abcdefghijklmnopqrstuvwxyz';
for (let i = 0; i < N + 1000; i++) {
  let word = '';
  for (let k = 0; k < 8; k++) word += letters[Math.floor(random() * 26)];
  const text = `${QUESTIONS[i % QUESTIONS.length]!} ${word}`;
  const t0 = performance.now();
  detect(kb, text);
  if (i >= 1000) unseen.push(performance.now() - t0);
}
const load = summarise(loads);
const lat = summarise(latencies);
const det = summarise(detectOnly);
const ass = summarise(assessOnly);
const fresh = summarise(unseen);
console.log(`knowledge load (21 runs, first is cold): first ${fmt(loads[0]!)}, median ${fmt(load.p50)}  (goal < 200 ms)`);
console.log(`detection index, built on the first detect: ${fmt(firstDetect)}`);
console.log(`detect over ${det.n} questions: p50 ${fmt(det.p50)}, p99 ${fmt(det.p99)}, mean ${fmt(det.mean)}  (goal p99 < 200 µs)`);
console.log(`detect with a word never seen before: p50 ${fmt(fresh.p50)}, p99 ${fmt(fresh.p99)}, mean ${fmt(fresh.mean)}`);
console.log(`assess alone: p50 ${fmt(ass.p50)}, p99 ${fmt(ass.p99)}, mean ${fmt(ass.mean)}`);
console.log(`detect+assess over ${lat.n} consultations: p50 ${fmt(lat.p50)}, p99 ${fmt(lat.p99)}, mean ${fmt(lat.mean)}  (goal p99 < 1 ms)`);
