// `npm run db:build`: builds the embedded database ahead of time (CI does this
// before the tests so the build is not counted against a test's timeout).
import { ensureFerretDb } from "./ferretdbBinary.js";

ensureFerretDb()
  .then((binary) => console.error(`FerretDB is ready: ${binary}`))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
