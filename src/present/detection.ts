// What every surface says about the topic read in a question: how sure it is, the topics it considered
// as one-click choices when unsure, and the one line that says a general assessment is general.
import type { Detection } from '../consult/detect.js';
import type { KnowledgeBase } from '../knowledge/load.js';

export interface TopicChoice {
  topic: string;
  title: string;
}

export interface DetectionView {
  /** The questionnaire to open: the detected topic, or general when none was found. */
  topic: string;
  /** The detection's confidence, or null when no topic was read from the text. */
  confidence: number | null;
  /** "No specific war stories on Kafka yet; this is the general assessment." */
  note: string | null;
  /** When unsure: what to ask, and the topics to offer (the detected one first). */
  prompt: string | null;
  choices: TopicChoice[];
}

const GENERAL = 'general';

function listTitles(titles: string[]): string {
  return titles.length <= 1 ? titles.join('') : `${titles.slice(0, -1).join(', ')} or ${titles[titles.length - 1]}`;
}

export function buildDetectionView(kb: KnowledgeBase, detection: Detection): DetectionView {
  const topic = detection.topic ?? GENERAL;
  const choices = detection.candidates
    .map((c) => kb.topics.get(c.topic))
    .filter((t) => t !== undefined)
    .map((t) => ({ topic: t.id, title: t.title }));
  const offer = (detection.unsure || detection.topic === null) && choices.length >= 2;
  const note =
    detection.topic === GENERAL
      ? `No specific war stories on ${detection.subject ?? 'this'} yet; this is the general assessment.`
      : null;
  return {
    topic,
    confidence: detection.topic ? detection.confidence : null,
    note,
    prompt: offer ? `I'm not sure which topic this is: it could be ${listTitles(choices.map((c) => c.title))}. Pick one:` : null,
    choices: offer ? choices : [],
  };
}
