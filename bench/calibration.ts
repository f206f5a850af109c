// `npm run bench:calibration`: 5,000 simulated consultations whose outcomes come from known true
// probabilities that differ from the knowledge base's. Reports the Brier score (0–1 binary form) of the
// raw, recalibrated and oracle probabilities on held-out outcomes after 100, 500 and 2,000 training
// outcomes. Goal: recalibrated within 5% of the oracle at 2,000. Then the cost and time ranges: see
// bench/range-calibration.ts for the worlds and the goals; each goal prints pass or fail.
import { learnCalibration, learnedProbability, type LabelledForecast } from '../src/accuracy/learned.js';
import { mulberry32 } from '../src/accuracy/random.js';
import { brierScore } from '../src/accuracy/scores.js';
import { assess } from '../src/consult/assess.js';
import { applicableQuestions } from '../src/consult/questionnaire.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../src/paths.js';
import { consultationPool, formatWorld, matchedWorldGoals, shiftedWorldGoals, simulateWorld, type Goal } from './range-calibration.js';

const random = mulberry32(20261127);
const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

const kb = loadKnowledge(KNOWLEDGE_DIR);
const topics = [...kb.topics.values()];
// The world differs from the knowledge base: it is overconfident overall (slope 0.75, shifted down)
// and each failure mode has its own offset.
const GLOBAL = { a: -0.35, b: 0.75 };
const offsets = new Map<string, number>();
for (const t of topics) for (const f of t.failureModes) offsets.set(`${t.id}/${f.id}`, 0.4 * gaussian());

interface Sample extends LabelledForecast {
  q: number;
}

const CONSULTATIONS = 5_000;
const samples: Sample[][] = [];
for (let i = 0; i < CONSULTATIONS; i++) {
  const topic = topics[Math.floor(random() * topics.length)]!;
  const answers: Record<string, string> = {};
  for (let q = applicableQuestions(topic, answers).find((x) => !answers[x.id]); q; q = applicableQuestions(topic, answers).find((x) => !answers[x.id])) {
    answers[q.id] = q.choices[Math.floor(random() * q.choices.length)]!.id;
  }
  const a = assess(kb, topic.id, answers, { skipTippingPoints: true });
  samples.push(
    a.failureModes.map((f) => {
      const key = `${topic.id}/${f.id}`;
      const q = sigmoid(GLOBAL.a + GLOBAL.b * logit(f.modelProbability) + offsets.get(key)!);
      return { key, p: f.modelProbability, q, outcome: random() < q ? 1 : 0 };
    }),
  );
}

const heldOut = samples.slice(3_000).flat();
const training = samples.slice(0, 3_000).flat();
console.log(`${CONSULTATIONS} consultations, ${training.length} training outcomes available, ${heldOut.length} held-out outcomes`);
console.log('outcomes  raw Brier  recalibrated  oracle   recalibrated/oracle');
const oracle = brierScore(heldOut.map((s) => ({ p: s.q, outcome: s.outcome })))!;
const raw = brierScore(heldOut.map((s) => ({ p: s.p, outcome: s.outcome })))!;
for (const n of [100, 500, 2_000]) {
  const learned = learnCalibration(training.slice(0, n));
  const recal = brierScore(heldOut.map((s) => ({ p: learnedProbability(learned, s.key, s.p) ?? s.p, outcome: s.outcome })))!;
  console.log(`${String(n).padStart(8)}  ${raw.toFixed(4)}     ${recal.toFixed(4)}        ${oracle.toFixed(4)}   ${(recal / oracle).toFixed(3)}× ${n === 2_000 ? (recal / oracle <= 1.05 ? '(goal ≤ 1.05× met)' : '(goal ≤ 1.05× NOT met)') : ''}`);
}

// Cost and time ranges. Each simulated workspace resolves its consultations one by one and is scored on
// consultations it never learned from. The knowledge base's p10–p90 spans what organisations in general
// see; one organisation's own projects usually vary less around their own typical overrun, so the main
// world is 1.8× the knowledge base with half its spread. With the knowledge base's full spread the
// error left by pure noise is too large for any forecaster to halve (see its oracle row).
console.log('');
const STEPS = [5, 10, 20, 50, 100, 200];
const RANGE_GOAL_AT = 50;
const pool = consultationPool(kb, 2_000, mulberry32(20261128));
const simulation = { workspaces: 200, steps: STEPS, heldOut: 200 };
const shifted = simulateWorld(pool, { name: '1.8× world', factor: 1.8, spread: 0.5 }, { ...simulation, seed: 1 });
const shiftedWide = simulateWorld(pool, { name: '1.8× world, full spread', factor: 1.8, spread: 1 }, { ...simulation, seed: 2 });
const matched = simulateWorld(pool, { name: 'matching world', factor: 1, spread: 1 }, { ...simulation, seed: 3 });
console.log(`Cost and time ranges: ${simulation.workspaces} simulated workspaces per world, each scored on ${simulation.heldOut} held-out consultations`);
for (const r of [shifted, shiftedWide, matched]) console.log([...formatWorld(r), ''].join('\n'));
const goals: Goal[] = [
  ...shiftedWorldGoals(shifted, RANGE_GOAL_AT, { halving: true }),
  ...shiftedWorldGoals(shiftedWide, RANGE_GOAL_AT, { halving: false }),
  ...matchedWorldGoals(matched),
];
for (const g of goals) console.log(`${g.pass ? 'PASS' : 'FAIL'}  ${g.name}: ${g.detail}`);
console.log(`${goals.filter((g) => g.pass).length} of ${goals.length} range goals met`);
if (goals.some((g) => !g.pass)) process.exitCode = 1;
