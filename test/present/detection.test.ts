// The detection view: choices only when unsure (or nothing was read), the general line naming the subject.
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/consult/detect.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { buildDetectionView } from '../../src/present/detection.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);
const view = (text: string) => buildDetectionView(kb, detect(kb, text));

describe('buildDetectionView', () => {
  it('offers the topics it considered as choices when unsure, the detected one first', () => {
    const v = view('is it worth adding mutual TLS to internal gRPC calls');
    expect(v.topic).toBe('zero-trust');
    expect(v.choices.map((c) => c.topic).slice(0, 2)).toEqual(['zero-trust', 'microservices']);
    expect(v.choices[0]!.title).toBe(kb.topics.get('zero-trust')!.title);
    expect(v.prompt).toContain(kb.topics.get('microservices')!.title);
    expect(v.note).toBeNull();
  });

  it('offers nothing when one topic is clearly ahead', () => {
    expect(view('should we split the monolith into microservices?')).toMatchObject({ topic: 'microservices', prompt: null, choices: [], note: null });
  });

  it('says in one line that a question without a topic of its own gets the general assessment', () => {
    expect(view('should we adopt Kafka for our event bus?')).toMatchObject({
      topic: 'general',
      note: 'No specific war stories on Kafka yet; this is the general assessment.',
      choices: [],
    });
    expect(view('should we adopt serverless for everything?').note).toMatch(/^No specific war stories on .+ yet; this is the general assessment\.$/);
  });

  it('opens general, with no confidence, when nothing was recognised', () => {
    expect(view('lunch?')).toMatchObject({ topic: 'general', confidence: null, note: null });
  });
});
