// `npm run mjs:build`: builds the tests' second engine ahead of time (CI does
// this before the tests so the build is not counted against a hook's timeout).
import { ensureMongoJavaServer } from "./mongo-java-server.js";

ensureMongoJavaServer()
  .then(() => console.error("mongo-java-server is ready"))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
