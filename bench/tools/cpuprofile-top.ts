/** Prints a .cpuprofile's functions by self time, and by package/file (bottom-up, self time only). */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

export function printTop(file: string, limit = 40): void {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const total = prof.nodes.reduce((s, n) => s + n.hitCount, 0);
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const n of prof.nodes) {
    const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:');
    const key = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + n.hitCount);
    const pkg = url.startsWith('nm:')
      ? url
          .split('/')
          .slice(0, url.startsWith('nm:@') ? 2 : 1)
          .join('/')
      : url || n.callFrame.functionName;
    byFile.set(pkg, (byFile.get(pkg) ?? 0) + n.hitCount);
  }
  const pct = (v: number) => `${((100 * v) / total).toFixed(1).padStart(5)} %`;
  console.log(`\n${file}: ${total} samples`);
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, limit)) console.log(`${pct(v)}  ${k}`);
  // inclusive time: each sample counts once for every distinct function on its stack
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const keyOf = (n: Node) =>
    `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:')}:${n.callFrame.lineNumber + 1}`;
  const inclusive = new Map<string, number>();
  for (const n of prof.nodes) {
    if (!n.hitCount) continue;
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const k = keyOf(byId.get(id)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + n.hitCount);
    }
  }
  console.log('\ninclusive:');
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, limit * 2))
    console.log(`${pct(v)}  ${k}`);
  console.log('\nby package / file:');
  for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${pct(v)}  ${k}`);
}

if (import.meta.url === `file://${process.argv[1]}`)
  printTop(process.argv[2]!, Number(process.argv[3] ?? 40));
