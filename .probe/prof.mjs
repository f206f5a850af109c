import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
for (let i = 0; i < p.samples.length; i++) { const n = byId.get(p.samples[i]); const d = dt[i] ?? 0; total += d; const cf = n.callFrame; const k = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/dist\//, 'dist/')}:${cf.lineNumber}`; self.set(k, (self.get(k) ?? 0) + d); }
const pkg = new Map();
for (const [k, v] of self) { const m = /nm\/(@[^/]+\/[^/]+|[^/]+)/.exec(k) ?? /(dist\/[^:]+)/.exec(k) ?? /(node:[^:]+)/.exec(k); const key = m ? m[1] : k.split(' ')[0]; pkg.set(key, (pkg.get(key) ?? 0) + v); }
console.log('total ms', (total / 1000).toFixed(0));
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 40)).map(([k, v]) => `${(v / total * 100).toFixed(1)}%  ${k}`).join('\n'));
console.log('--- by package');
console.log([...pkg].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / total * 100).toFixed(1)}%  ${k}`).join('\n'));
