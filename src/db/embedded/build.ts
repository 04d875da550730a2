// `npm run db:build [-- --out <file>]`: builds the embedded database ahead of
// time (CI does this before the tests so the build is not counted against a
// test's timeout), fetching Go first when none suitable is installed.
// `--out` builds elsewhere than .tools/bin (the no-Go build test).
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureFerretDb } from "./ferretdbBinary.js";

const { values } = parseArgs({ options: { out: { type: "string" } } });

ensureFerretDb(values.out ? { binary: path.resolve(values.out) } : {})
  .then((binary) => console.error(`FerretDB is ready: ${binary}`))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
