// npm run client:generate: writes client/schema.d.ts from the OpenAPI document.
import { writeFile } from "node:fs/promises";
import { generateClientTypes, SCHEMA_FILE } from "./client-types.lib.js";

await writeFile(SCHEMA_FILE, await generateClientTypes());
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
// The app's modules keep timers (session sweep, caches) that would hold the process.
process.exit(0);
