// npm run docs:postman: writes docs/videotube.postman_collection.json from the OpenAPI document.
import { writeFile } from "node:fs/promises";
import {
  generatePostmanCollection,
  POSTMAN_COLLECTION_FILE,
} from "./postman.lib.js";

await writeFile(POSTMAN_COLLECTION_FILE, await generatePostmanCollection());
process.stdout.write(`wrote ${POSTMAN_COLLECTION_FILE}\n`);
// The app's modules keep timers (session sweep, caches) that would hold the process.
process.exit(0);
