/**
 * import() of a JS config file. The library (tsc output) uses this module as it is. The CLI
 * bundle replaces it with dist/import-config.cjs (scripts/build.js), a file Node loads itself
 * with require(): the bundle runs from the bin's compile cache through vm.Script, where an
 * import() of its own would need vm's experimental importModuleDynamically (which failed once
 * the cache existed, and printed an ExperimentalWarning before that).
 */
export function importModule(href: string): Promise<Record<string, unknown>> {
  return import(href) as Promise<Record<string, unknown>>;
}
