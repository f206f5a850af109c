// `npm run eval:detect`: topic detection on the test half of the detection set (never tuned on), with
// accuracy, per-topic precision/recall and the confusion matrix. `-- --half tune` shows the tuning half.
import { loadKnowledge } from '../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../src/paths.js';
import { evaluateDetection, formatReport, loadDetectionSet } from './detect-metrics.js';

const args = process.argv.slice(2);
const half = args.includes('--half') ? args[args.indexOf('--half') + 1] : 'test';
if (half !== 'test' && half !== 'tune') {
  process.stderr.write('usage: eval-detect [--half test|tune] [--misses]\n');
  process.exit(2);
}
const kb = loadKnowledge(KNOWLEDGE_DIR);
const entries = loadDetectionSet().filter((e) => e.half === half);
const report = evaluateDetection(kb, entries);
process.stdout.write(`${formatReport(`detection, ${half} half`, report, args.includes('--misses') || half === 'tune')}\n`);
const met = report.accuracy >= 0.95 && report.architectureAsNone <= 0.01 && report.noneRecognised >= 0.95;
process.stdout.write(`\ngoals ${met ? 'met' : 'NOT met'}\n`);
if (half === 'test' && !met) process.exitCode = 1;
