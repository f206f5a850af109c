// The build-time knowledge snapshot: it stands in for parsing and validating the YAML only when it was
// taken of exactly these files; any edit, or a damaged or foreign snapshot, means the full load.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../src/errors.js';
import { loadKnowledge, writeKnowledgeSnapshot } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

afterAll(removeTempDirs);

function copyKnowledge(): { dir: string; snapshot: string } {
  const root = makeTempDir();
  const dir = join(root, 'knowledge');
  cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
  const snapshot = join(root, 'knowledge.snapshot.json');
  writeKnowledgeSnapshot(loadKnowledge(dir), snapshot);
  return { dir, snapshot };
}

describe('knowledge snapshot', () => {
  it('gives the same knowledge base as parsing the YAML', () => {
    const { dir, snapshot } = copyKnowledge();
    const full = loadKnowledge(dir);
    const fast = loadKnowledge(dir, { snapshot });
    expect(fast.version).toBe(full.version);
    expect([...fast.topics.keys()]).toEqual([...full.topics.keys()]);
    expect(fast).toEqual(full);
  });

  it('is used: a snapshot edited by hand shows through while the YAML is unchanged', () => {
    const { dir, snapshot } = copyKnowledge();
    const data = JSON.parse(readFileSync(snapshot, 'utf8')) as { topics: Array<{ id: string; title: string }> };
    data.topics[0]!.title = 'Edited in the snapshot';
    writeFileSync(snapshot, JSON.stringify(data));
    expect(loadKnowledge(dir, { snapshot }).topics.get(data.topics[0]!.id)!.title).toBe('Edited in the snapshot');
  });

  it('is ignored once a YAML file changes, so a broken edit is still refused with file and field', () => {
    const { dir, snapshot } = copyKnowledge();
    const file = join(dir, 'kubernetes.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: 42'));
    const error = (() => {
      try {
        loadKnowledge(dir, { snapshot });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(KnowledgeError);
    expect((error as KnowledgeError).file).toBe(file);
    expect((error as KnowledgeError).message).toContain('field title');
  });

  it('is ignored when damaged, missing or of another format, and the YAML is loaded instead', () => {
    const { dir, snapshot } = copyKnowledge();
    const full = loadKnowledge(dir);
    const good = readFileSync(snapshot, 'utf8');
    for (const broken of [good.slice(0, good.length / 2), 'null', JSON.stringify({ ...JSON.parse(good), format: 999 })]) {
      writeFileSync(snapshot, broken);
      expect(loadKnowledge(dir, { snapshot })).toEqual(full);
    }
    expect(loadKnowledge(dir, { snapshot: join(dir, 'no-such-snapshot.json') })).toEqual(full);
  });
});
