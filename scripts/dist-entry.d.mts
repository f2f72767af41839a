/** Types for scripts/dist-entry.mjs (bin/yeon loads it as plain JavaScript, before any transpiler). */
export declare const ROOT: string;
export declare const DIST_DIR: string;
export declare const DIST_ENTRY: string;
export declare const BUILD_RECORD: string;
export declare const BUILD_INPUTS: string[];
export declare const MTIME_SLACK_MS: number;
export declare const KEPT_EXTERNAL: ReadonlySet<string>;
export declare function packageOf(specifier: string): string;
export declare function newestInput(root?: string): { input: string; mtimeMs: number };
export interface DistCheck {
  entry: string | undefined;
  reason: string;
}
export declare function freshDist(root?: string): DistCheck;
export declare function sourcesRequested(env?: Record<string, string | undefined>): string | undefined;
export declare function yeonRuns(
  env?: Record<string, string | undefined>,
  root?: string,
): DistCheck & { mode: 'dist' | 'source' };
