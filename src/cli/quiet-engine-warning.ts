/**
 * oidc-provider 9 prints "Unsupported runtime. Use Node.js v22.x LTS…" through console.warn when
 * it is first imported on Node 20 (node_modules/oidc-provider/lib/index.js). yeon supports and
 * tests Node 20 LTS (package.json `engines`), so on every `yeon` command that line is noise in
 * front of the command's own output. This module must be the first import of the CLI: ES modules
 * run in import order, so it is in place before anything imports the engine. It drops that one
 * message, once, and passes every other warning through untouched.
 */
const original = console.warn;
// On a TTY the engine wraps the line in ANSI colour codes, so match inside the string.
const ENGINE_RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime.';

console.warn = function warnExceptEngineRuntime(...args: unknown[]) {
  if (typeof args[0] === 'string' && args[0].includes(ENGINE_RUNTIME_WARNING)) {
    console.warn = original;
    return;
  }
  original.apply(console, args);
};

/** Puts console.warn back once every static import ran (called first thing by runCli). */
export function endEngineWarningFilter(): void {
  console.warn = original;
}
