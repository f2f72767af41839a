/**
 * Prints a .cpuprofile's functions by self and inclusive time, and self time by package/file.
 * `node --import tsx bench/tools/cpuprofile-top.ts <file> [limit]` reads the whole profile;
 * bench/tools/profile.ts passes a window so only the samples of the measured load count.
 *
 * Percentages are of the busy samples (everything but "(idle)"), so a window that starts a little
 * early or a load that leaves the process waiting on the database reads the same; the header says
 * how much was idle.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

/**
 * Sample times in a .cpuprofile are V8's monotonic clock in µs, on Linux the same clock as
 * `process.hrtime` in any process, so another process can mark a window with `monotonicUs()`.
 */
export interface Window {
  fromUs: number;
  toUs: number;
}

export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:');

function packageOf(url: string): string {
  if (!url.startsWith('nm:')) return url;
  return url
    .split('/')
    .slice(0, url.startsWith('nm:@') ? 2 : 1)
    .join('/');
}

/**
 * Node's stream and socket plumbing: a native frame under it (a socket's writev, whose self time
 * is the send system call, on loopback the kernel's whole TCP path) is charged to the code that
 * wrote, such as node:_http_outgoing for a response or nm:pg for a query.
 */
const PLUMBING = /^node:(internal\/|net$|stream$|events$|buffer$|tls$)/;

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

export function printTop(file: string, limit = 40, window?: Window, callersOf?: string): void {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
  // hits per node inside the window (all of them without one)
  const hits = new Map<number, number>();
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i] ?? 0;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    const id = prof.samples[i]!;
    hits.set(id, (hits.get(id) ?? 0) + 1);
  }
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const all = [...hits.values()].reduce((s, v) => s + v, 0);
  const idle = [...hits].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)');
  const idleHits = idle.reduce((s, [, v]) => s + v, 0);
  const busy = all - idleHits;
  const keyOf = (n: Node) =>
    `${n.callFrame.functionName || '(anon)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const pct = (v: number) => `${((100 * v) / Math.max(busy, 1)).toFixed(1).padStart(5)} %`;
  const span = window
    ? `window ${((Math.min(window.toUs, prof.endTime) - Math.max(window.fromUs, prof.startTime)) / 1e6).toFixed(1)} s of ${((prof.endTime - prof.startTime) / 1e6).toFixed(1)} s profiled`
    : `${((prof.endTime - prof.startTime) / 1e6).toFixed(1)} s profiled`;
  console.log(
    `\n${file}\n${span}: ${all} samples, ${idleHits} idle (${((100 * idleHits) / Math.max(all, 1)).toFixed(0)} %); percentages below are of the ${busy} busy samples`,
  );
  if (!busy) return;

  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  // Native frames (no URL: V8 builtins such as JSON.parse, C++ bindings such as a socket's writev)
  // charged to the package of the nearest JavaScript caller outside Node's plumbing. A binding V8
  // calls directly from JavaScript, such as better-sqlite3's Statement#all, has no frame of its own:
  // its time is the self time of the function that called it (Kysely's SqliteDriver#executeQuery).
  const byPackage = new Map<string, number>();
  const natives = new Map<string, number>();
  for (const [id, v] of hits) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    const url = shortUrl(n.callFrame.url);
    byFn.set(keyOf(n), (byFn.get(keyOf(n)) ?? 0) + v);
    const own = url ? packageOf(url) : n.callFrame.functionName;
    byFile.set(own, (byFile.get(own) ?? 0) + v);
    let pkg = own;
    if (!url && !SPECIAL.has(n.callFrame.functionName)) {
      let caller = '(no caller)';
      for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
        const u = shortUrl(byId.get(p)!.callFrame.url);
        if (u && !PLUMBING.test(u)) {
          caller = packageOf(u);
          break;
        }
      }
      pkg = caller;
      const k = `${n.callFrame.functionName || '(anon)'} ← ${caller}`;
      natives.set(k, (natives.get(k) ?? 0) + v);
    }
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + v);
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);

  console.log('\nself time:');
  for (const [k, v] of top(byFn, limit)) console.log(`${pct(v)}  ${k}`);
  // inclusive time: each sample counts once for every distinct function on its stack
  const inclusive = new Map<string, number>();
  for (const [id, v] of hits) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const k = keyOf(byId.get(p)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + v);
    }
  }
  console.log('\ninclusive:');
  for (const [k, v] of top(inclusive, limit * 2)) console.log(`${pct(v)}  ${k}`);
  console.log('\nnative frames, with the package that called them:');
  for (const [k, v] of top(natives, 20)) console.log(`${pct(v)}  ${k}`);
  console.log('\nby package / file (self):');
  for (const [k, v] of top(byFile, 25)) console.log(`${pct(v)}  ${k}`);
  console.log('\nby package, native frames charged to their caller:');
  for (const [k, v] of top(byPackage, 25)) console.log(`${pct(v)}  ${k}`);
  // Each sample once for every package on its stack: what loading a package costs at startup
  // (its dependencies included), or the synchronous part of what it calls at run time.
  const packageInclusive = new Map<string, number>();
  for (const [id, v] of hits) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const u = shortUrl(byId.get(p)!.callFrame.url);
      if (u.startsWith('nm:') || u.includes('/dist/') || u.includes('/src/')) seen.add(packageOf(u));
    }
    for (const k of seen) packageInclusive.set(k, (packageInclusive.get(k) ?? 0) + v);
  }
  console.log('\nby package, inclusive (node_modules and yeon only):');
  for (const [k, v] of top(packageInclusive, 25)) console.log(`${pct(v)}  ${k}`);
  if (!callersOf) return;
  // the stacks under which a function (by name) took its self time, three frames up
  const stacks = new Map<string, number>();
  for (const [id, v] of hits) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName !== callersOf) continue;
    const frames: string[] = [];
    for (let p = parent.get(id); p !== undefined && frames.length < 3; p = parent.get(p))
      frames.push(keyOf(byId.get(p)!));
    const k = frames.join(' ← ');
    stacks.set(k, (stacks.get(k) ?? 0) + v);
  }
  console.log(`\ncallers of ${callersOf} (self time):`);
  for (const [k, v] of top(stacks, 12)) console.log(`${pct(v)}  ← ${k}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // <file> [limit] [--from µs --to µs] [--callers functionName]
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const from = opt('--from');
  const to = opt('--to');
  const callers = opt('--callers');
  const window = from && to ? { fromUs: Number(from), toUs: Number(to) } : undefined;
  printTop(args[0]!, Number(args[1] ?? 40), window, callers);
}
