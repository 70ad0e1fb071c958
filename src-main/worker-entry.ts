// Starts a worker thread both when running from TypeScript sources (tests, `npm run eno`) and from
// the bundle electron-vite builds (one file per worker entry in out/main).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The ESM registration API of tsx, found through its package exports. */
function tsxRegisterUrl(callerUrl: string): string {
  const require = createRequire(callerUrl);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } } | string>;
  };
  const entry = pkg.exports['./esm/api'];
  const rel = typeof entry === 'string' ? entry : entry?.import?.default;
  if (!rel) throw new Error('tsx does not export ./esm/api');
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

/**
 * Starts a worker. `callerUrl` is import.meta.url of the module that starts it, `sourceFile` the
 * worker's file name next to that module in the sources, `bundleName` its entry name in the build.
 */
export function startWorkerThread(
  callerUrl: string,
  sourceFile: string,
  bundleName: string,
  options: WorkerOptions,
): Worker {
  const here = fileURLToPath(callerUrl);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    // From sources: register the TypeScript loader inside the worker, then load the worker module.
    const register = tsxRegisterUrl(callerUrl);
    const file = pathToFileURL(join(dir, sourceFile)).href;
    const code = `import(${JSON.stringify(register)}).then((m) => { m.register(); return import(${JSON.stringify(file)}); })`;
    return new Worker(code, { ...options, eval: true });
  }
  for (const candidate of [join(dir, `${bundleName}.js`), join(dir, '..', `${bundleName}.js`)]) {
    if (existsSync(candidate)) return new Worker(candidate, options);
  }
  throw new Error(`worker script ${bundleName}.js not found next to ${here}`);
}
