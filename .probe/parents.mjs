import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const target = process.argv[3];
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const hits = new Map();
for (let i = 0; i < p.samples.length; i++) { const n = byId.get(p.samples[i]); if (n.callFrame.functionName !== target) continue; let chain = []; let q = parent.get(n.id); for (let d = 0; d < 6 && q; d++) { chain.push(`${q.callFrame.functionName||'(anon)'}:${q.callFrame.lineNumber}`); q = parent.get(q.id); } const k = chain.join(' < '); hits.set(k, (hits.get(k) ?? 0) + (p.timeDeltas[i] ?? 0)); }
console.log([...hits].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${(v / 1000).toFixed(0)}ms ${k}`).join('\n'));
