/** Types for scripts/test-lanes.mjs (run-tests.mjs loads it as plain JavaScript, before any transpiler). */
export declare const LANES: string[];
export declare const DATABASE_MODULE: string;
export declare const ALSO_ON_POSTGRES: Map<string, string>;
export declare class UsageError extends Error {}
export declare function parseArgs(args: string[]): { lanes: string[]; files: string[] };
export declare function isBrowser(file: string): boolean;
export declare function isPostgresOnly(file: string): boolean;
export declare function runtimeImports(source: string): string[];
export declare function databaseCheck(root: string): (file: string) => boolean;
export declare function selectLane(
  lane: string,
  files: string[],
  touchesDatabase: (file: string) => boolean,
): { run: string[]; leftOut: string[] };
