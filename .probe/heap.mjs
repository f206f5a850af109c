import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const self = new Map(); let total = 0;
const walk = (n, stack) => { const k = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber} ${n.callFrame.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/dist\//, '')}`; const s = n.selfSize; total += s; self.set(k, (self.get(k) ?? 0) + s); for (const c of n.children) walk(c, stack); };
walk(p.head, []);
console.log('total sampled MB', (total / 1e6).toFixed(1), 'samples', p.samples?.length);
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(v / total * 100).toFixed(1)}%  ${k}`).join('\n'));
