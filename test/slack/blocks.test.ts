import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import type { DigestView } from '../../src/present/digest.js';
import { renderDigestBlocks } from '../../src/slack/blocks/digest.js';
import { encodeMetadata, modalMetadataSchema, renderConsultModal, renderConsultModalJson } from '../../src/slack/blocks/modal.js';
import { escapeText } from '../../src/slack/escape.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);

describe('consultation modal', () => {
  it.each([...kb.topics.keys()].flatMap((t) => [[t, true], [t, false]] as const))('%s (dm %s): the cached JSON equals the object view', (topic, dm) => {
    const meta = { channel: 'C1', question: 'should we "really" <!here> & go?', topic, dm };
    const object = renderConsultModal(kb, meta, { confidence: 0.42 });
    expect(JSON.parse(renderConsultModalJson(kb, meta, { confidence: 0.42 }))).toEqual(JSON.parse(JSON.stringify(object)));
    // Asking twice (cache hit) gives the same text with the new question.
    const again = JSON.parse(renderConsultModalJson(kb, { ...meta, question: 'second' }, null)) as { private_metadata: string };
    expect(JSON.parse(again.private_metadata).question).toBe('second');
  });

  it('stays within Block Kit limits for every topic', () => {
    for (const topic of kb.topics.keys()) {
      const view = renderConsultModal(kb, { channel: 'C1', question: 'q', topic, dm: false }, null);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      expect(view.private_metadata!.length).toBeLessThanOrEqual(3000);
    }
  });

  it('keeps metadata valid JSON under 3,000 characters even for a question full of quotes', () => {
    const meta = { channel: 'C1', question: '"\\\n'.repeat(666), topic: 'general', dm: false };
    const encoded = encodeMetadata(meta);
    expect(encoded.length).toBeLessThanOrEqual(3000);
    const parsed = modalMetadataSchema.parse(JSON.parse(encoded));
    expect(meta.question.startsWith(parsed.question)).toBe(true);
  });
});

describe('escapeText', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<@U123> & <!here>', '&lt;@U123&gt; &amp; &lt;!here&gt;'],
    ['plain', 'plain'],
  ])('%s → %s', (input, output) => {
    expect(escapeText(input)).toBe(output);
  });
});

describe('digest blocks', () => {
  it('puts a long digest in as many sections as it needs, each within 3,000 characters, losing no line', () => {
    const lines = ['title', ...Array.from({ length: 12 }, (_, i) => `line ${i} ${'x'.repeat(700)}`)];
    const blocks = renderDigestBlocks({ lines } as unknown as DigestView);
    const texts = blocks.filter((b) => b.type === 'section').map((b) => (b as { text: { text: string } }).text.text);
    expect(texts.length).toBeGreaterThan(2);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
    expect(texts.join('\n').split('\n')).toEqual(lines.slice(1).map((l) => `• ${l}`));
  });
});
