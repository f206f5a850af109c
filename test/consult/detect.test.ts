import { describe, expect, it } from 'vitest';
import { detect, editDistance, tokenize } from '../../src/consult/detect.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { DETECTION_SET } from './detection-set.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);

describe('detect', () => {
  it('has a detection set of at least 80 phrasings covering every topic and non-questions', () => {
    expect(DETECTION_SET.length).toBeGreaterThanOrEqual(80);
    const topics = new Set(DETECTION_SET.map(([, t]) => t));
    for (const id of kb.topics.keys()) expect(topics.has(id)).toBe(true);
    expect(topics.has(null)).toBe(true);
  });

  it('gets at least 95% of the detection set right', () => {
    const misses = DETECTION_SET.filter(([text, topic]) => detect(kb, text).topic !== topic).map(
      ([text, topic]) => `${text} → ${String(detect(kb, text).topic)} (expected ${String(topic)})`,
    );
    const accuracy = 1 - misses.length / DETECTION_SET.length;
    expect(accuracy, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it.each([
    ['thinking of moving to EKS', 'kubernetes'],
    ['kubernets or VMs', 'kubernetes'],
    ['CockroachDB', 'distributed-database'],
  ])('%s → %s', (text, topic) => {
    const d = detect(kb, text);
    expect(d.topic).toBe(topic);
    expect(d.confidence).toBeGreaterThan(0);
    expect(d.confidence).toBeLessThanOrEqual(1);
  });

  it('reports a runner-up when two topics compete', () => {
    const d = detect(kb, 'should we split into microservices on kubernetes with istio mTLS');
    expect(d.topic).not.toBeNull();
    expect(d.runnerUp).not.toBeNull();
    expect(d.runnerUp).not.toBe(d.topic);
  });

  it('is deterministic', () => {
    expect(detect(kb, 'should we use kubernetes?')).toEqual(detect(kb, 'should we use kubernetes?'));
  });

  it('gives no topic and zero confidence for small talk', () => {
    expect(detect(kb, 'good morning')).toMatchObject({ topic: null, confidence: 0 });
    expect(detect(kb, '')).toMatchObject({ topic: null, confidence: 0 });
  });
});

describe('editDistance', () => {
  it.each([
    ['kubernetes', 'kubernetes', 0],
    ['kubernets', 'kubernetes', 1],
    ['kuberentes', 'kubernetes', 1],
    ['abc', 'xyz', 3],
  ])('%s ~ %s = %i', (a, b, d) => {
    expect(editDistance(a, b, 3)).toBe(d);
  });

  it('stops early past the maximum', () => {
    expect(editDistance('completely', 'different!', 1)).toBe(2);
  });
});

describe('tokenize', () => {
  it('lower-cases and splits on punctuation but keeps k8s and dotted names', () => {
    expect(tokenize('Should we use K8s, or Node.js?')).toEqual(['should', 'we', 'use', 'k8s', 'or', 'node.js']);
  });
});
