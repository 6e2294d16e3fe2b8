/**
 * V8 block coverage through the inspector (Node only), for the long fuzz run: it guides the
 * fuzzer (an input that reaches a block never reached before joins the corpus) and measures
 * how much of the code under a target's `covers` folders the run executed.
 *
 * `Profiler.takePreciseCoverage` costs ~20 ms (it serializes every script's counters), far
 * more than one input, so the runner takes it once per batch and re-runs a batch input by
 * input only when the batch as a whole reached something new: rare once warm.
 *
 * Figures are bytes of source in executed blocks / all bytes, over the JavaScript tsx made
 * of each TypeScript file (type annotations gone), as c8 counts them before source maps.
 */
export interface CoverageTracker {
  /** Blocks reached since the last call that were never reached before (now recorded). */
  take(): Promise<string[]>;
  /** Blocks reached since the last call, without recording them. */
  peek(): Promise<Set<string>>;
  /** Executed share of the files whose path contains one of `covers`. */
  report(covers: readonly string[]): { files: number; bytes: number; covered: number; percent: number };
  stop(): Promise<void>;
}

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface ScriptCoverage {
  url: string;
  functions: { ranges: Range[] }[];
}

/** Starts block coverage; undefined where node:inspector is missing (Deno, Bun). */
export async function startCoverage(root: string): Promise<CoverageTracker | undefined> {
  if ((globalThis as { Bun?: unknown; Deno?: unknown }).Bun || (globalThis as { Deno?: unknown }).Deno)
    return;
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) =>
      session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))),
    );
  await post('Profiler.enable');
  await post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  const srcPrefix = `file://${root}/src/`;
  /** Per script: one flag per source byte ever executed, and its length. */
  const hit = new Map<string, Uint8Array>();
  const blocks = new Set<string>();

  const collect = async () =>
    (await post<{ result: ScriptCoverage[] }>('Profiler.takePreciseCoverage')).result;
  return {
    async peek() {
      const reached = new Set<string>();
      for (const script of await collect()) {
        if (!script.url.startsWith(srcPrefix)) continue;
        const path = script.url.slice(`file://${root}/`.length);
        for (const f of script.functions)
          for (const r of f.ranges) if (r.count > 0) reached.add(`${path}:${r.startOffset}:${r.endOffset}`);
      }
      return reached;
    },
    async take() {
      const result = await collect();
      const fresh: string[] = [];
      for (const script of result) {
        if (!script.url.startsWith(srcPrefix)) continue;
        const path = script.url.slice(`file://${root}/`.length);
        let end = 0;
        for (const f of script.functions) for (const r of f.ranges) end = Math.max(end, r.endOffset);
        let flags = hit.get(path);
        if (!flags || flags.length < end) {
          const grown = new Uint8Array(end);
          if (flags) grown.set(flags);
          flags = grown;
          hit.set(path, flags);
        }
        // Ranges come outer first, so painting in order leaves each byte its innermost count.
        const counts = new Int32Array(end).fill(-1);
        for (const f of script.functions) {
          for (const r of f.ranges) {
            counts.fill(r.count, r.startOffset, r.endOffset);
            if (r.count > 0) {
              const key = `${path}:${r.startOffset}:${r.endOffset}`;
              if (!blocks.has(key)) {
                blocks.add(key);
                fresh.push(key);
              }
            }
          }
        }
        for (let i = 0; i < end; i++) if (counts[i]! > 0) flags[i] = 1;
      }
      return fresh;
    },
    report(covers) {
      let files = 0;
      let bytes = 0;
      let covered = 0;
      for (const [path, flags] of hit) {
        if (!covers.some((c) => path.startsWith(c))) continue;
        files++;
        bytes += flags.length;
        for (const f of flags) covered += f;
      }
      return { files, bytes, covered, percent: bytes ? (100 * covered) / bytes : 0 };
    },
    async stop() {
      await post('Profiler.stopPreciseCoverage');
      session.disconnect();
    },
  };
}
