// Topic detection: the goals on the test half of the detection set (never tuned on), the misses that
// issue 11 quoted, candidates and "unsure", general's subject and the unknown terms a gap is named by.
import { describe, expect, it } from 'vitest';
import { evaluateDetection, formatReport, loadDetectionSet, NONE } from '../../bench/detect-metrics.js';
import { detect } from '../../src/consult/detect.js';
import { tokenize } from '../../src/consult/text.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);
const set = loadDetectionSet();

describe('the detection set', () => {
  const fresh = set.filter((e) => e.source === 'new');

  it('has at least 300 new phrasings, 40 of them not architecture, and every topic in both halves', () => {
    expect(fresh.length).toBeGreaterThanOrEqual(300);
    expect(fresh.filter((e) => e.topic === NONE).length).toBeGreaterThanOrEqual(40);
    for (const half of ['tune', 'test'] as const) {
      const topics = new Set(fresh.filter((e) => e.half === half).map((e) => e.topic));
      expect([...topics].sort()).toEqual([...kb.topics.keys(), NONE].sort());
    }
  });

  it('labels only known topics, once per text, and keeps the old phrasings out of the test half', () => {
    for (const e of set) expect([...kb.topics.keys(), NONE]).toContain(e.topic);
    expect(new Set(set.map((e) => e.text.toLowerCase())).size).toBe(set.length);
    expect(set.filter((e) => e.source === 'legacy' && e.half === 'test')).toEqual([]);
  });
});

describe('detect on the test half', () => {
  const report = evaluateDetection(kb, set.filter((e) => e.half === 'test'));
  const shown = formatReport('test half', report, true);

  it('gets at least 95% of topics right', () => {
    expect(report.accuracy, shown).toBeGreaterThanOrEqual(0.95);
  });

  it('answers no more than 1% of architecture questions with "not an architecture question"', () => {
    expect(report.architectureAsNone, shown).toBeLessThanOrEqual(0.01);
  });

  it('recognises at least 95% of non-architecture messages', () => {
    expect(report.noneRecognised, shown).toBeGreaterThanOrEqual(0.95);
  });
});

describe('detect', () => {
  it.each([
    ['is it worth adding mutual TLS to internal gRPC calls', 'zero-trust'],
    ['should we shard our Postgres cluster by region', 'distributed-database'],
    ['we have a trained XGBoost model, how do we ship it to production', 'ml-model-serving'],
    ['should our internal services stop trusting the private network', 'zero-trust'],
  ])('the misses quoted in issue 11: %s → %s', (text, topic) => {
    expect(detect(kb, text).topic).toBe(topic);
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

  it('offers up to three candidates, the detected topic first, and is unsure when two topics are close', () => {
    const d = detect(kb, 'is it worth adding mutual TLS to internal gRPC calls');
    expect(d.candidates.length).toBeGreaterThanOrEqual(2);
    expect(d.candidates.length).toBeLessThanOrEqual(3);
    expect(d.candidates[0]!.topic).toBe(d.topic);
    expect(d.candidates.map((c) => c.topic)).toContain('microservices');
    for (let i = 2; i < d.candidates.length; i++) expect(d.candidates[i]!.score).toBeLessThanOrEqual(d.candidates[i - 1]!.score);
    for (const c of d.candidates) expect(c.score).toBeGreaterThan(0);
    expect(d.unsure).toBe(true);
    expect(d.runnerUp).toBe('microservices');
  });

  it('puts the detected topic first among the candidates even when general scored more', () => {
    const d = detect(kb, 'Should we use Istio?');
    expect(d.topic).not.toBe('general');
    expect(d.candidates[0]!.topic).toBe(d.topic);
  });

  it('counts quantities (2s, 50ms) neither as names nor as unknown terms', () => {
    const d = detect(kb, 'our API p95 is 2s, should we add a caching layer');
    expect(d.topic).toBe('general');
    expect(d.subject).toBeNull();
    expect(d.unmatchedTerms).not.toContain('2s');
  });

  it('is sure when one topic is clearly ahead', () => {
    const d = detect(kb, 'should we split the monolith into microservices?');
    expect(d).toMatchObject({ topic: 'microservices', unsure: false, unmatchedTerms: [] });
  });

  it('sends technology without a topic of its own to general, naming it', () => {
    expect(detect(kb, 'should we adopt Kafka for our event bus?')).toMatchObject({ topic: 'general', subject: 'Kafka' });
    const unknown = detect(kb, 'should we adopt Frobnicator for the billing jobs?');
    expect(unknown).toMatchObject({ topic: 'general', subject: 'Frobnicator' });
    expect(unknown.unmatchedTerms).toContain('frobnicator');
    expect(unknown.unmatchedTerms).not.toContain('should');
  });

  it('is deterministic', () => {
    expect(detect(kb, 'should we use kubernetes?')).toEqual(detect(kb, 'should we use kubernetes?'));
  });

  it('gives no topic and zero confidence for small talk and everyday requests', () => {
    for (const text of ['good morning', '', 'thanks!', 'who is on call this weekend?', 'can someone review my PR?']) {
      expect(detect(kb, text), text).toMatchObject({ topic: null, confidence: 0, unmatchedTerms: [] });
    }
  });
});

describe('tokenize', () => {
  it('lower-cases and splits on punctuation but keeps k8s and dotted names, and drops Slack markup', () => {
    expect(tokenize('Should we use K8s, or Node.js?')).toEqual(['should', 'we', 'use', 'k8s', 'or', 'node.js']);
    expect(tokenize('<@U123ABC> see <https://example.com|the doc> :thinking_face: `helm`')).toEqual(['see', 'the', 'doc', 'helm']);
  });
});
