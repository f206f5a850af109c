import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const incl = new Map(); let busy = 0;
for (let i = 0; i < p.samples.length; i++) {
  const d = p.timeDeltas[i] ?? 0; const n0 = byId.get(p.samples[i]); if (n0.callFrame.functionName === '(idle)') continue; busy += d;
  const seen = new Set(); let id = p.samples[i];
  while (id !== undefined) { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber} ${n.callFrame.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/dist\//, '')}`; if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + d); } id = parent.get(id); }
}
console.log('busy ms', (busy / 1000).toFixed(0));
console.log([...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 60)).map(([k, v]) => `${(v / busy * 100).toFixed(1)}%  ${k}`).join('\n'));
