// `node --import ./tests/helpers/module-log/register.mjs …` with MODULE_LOG
// set: writes every module the process loads to that file, one URL or path a
// line. ES modules through a resolve hook (registered last, so it runs first
// and sees every import, tsx's included); CommonJS modules, which may be
// loaded by require() where no ESM hook sees them, from the shared
// require.cache when the process exits.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const log = process.env.MODULE_LOG;
if (log) {
  register("./hooks.mjs", import.meta.url, { data: { log } });
  const { cache } = createRequire(import.meta.url);
  process.once("exit", () => {
    const paths = Object.keys(cache);
    if (paths.length > 0) appendFileSync(log, `${paths.join("\n")}\n`);
  });
}
