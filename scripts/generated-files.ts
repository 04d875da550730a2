// What the generated files of the repository share: the app's own OpenAPI
// document, and the repository's prettier style, so a generator and its
// staleness test make the same bytes.
import { format, resolveConfig } from "prettier";

/** The app's OpenAPI document, with every route registered. */
export async function appOpenApiDocument() {
  // Importing the app registers every route's OpenAPI path.
  await import("../src/app.js");
  const { openApiDocument } = await import("../src/schemas/openapi.js");
  return openApiDocument();
}

/** `text` formatted as `npx prettier --write file` would leave it. */
export async function formatForFile(file: string, text: string) {
  const options = await resolveConfig(file);
  return format(text, { ...options, filepath: file });
}
