// Serves examples/spa on an origin of its own, with no build step: the typed
// client's TypeScript is transpiled per request with esbuild (tsx's own
// dependency) and openapi-fetch comes from its ESM dist in node_modules.
import { readFile } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { transform } from "esbuild";

const root = path.resolve(import.meta.dirname, "../..");
const spaDir = path.join(root, "examples/spa");
const clientDir = path.join(root, "client");
const openapiFetch = path.join(
  root,
  "node_modules/openapi-fetch/dist/index.mjs"
);

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

// One segment of letters, digits and dashes: nothing here can climb out of
// its folder, whatever the request path holds.
const FILE_NAME = /^[a-z0-9-]+\.(html|js|css|svg)$/;
const CLIENT_MODULE = /^\/client\/([a-z0-9-]+)\.js$/;

export interface SpaServer {
  url: string;
  close(): Promise<void>;
}

export interface SpaServerOptions {
  /** The API's origin the SPA calls (with cookies). */
  apiUrl: string;
  port?: number;
  host?: string;
}

const send = (
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer
) => {
  res.writeHead(status, {
    "Content-Type": type,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(body);
};

async function clientModule(name: string): Promise<string> {
  const source = await readFile(path.join(clientDir, `${name}.ts`), "utf8");
  const { code } = await transform(source, {
    loader: "ts",
    format: "esm",
    target: "es2022",
  });
  return code;
}

export function startSpaServer(options: SpaServerOptions): Promise<SpaServer> {
  const config = `export const API_URL = ${JSON.stringify(options.apiUrl.replace(/\/+$/, ""))};\n`;
  const server = createServer((req, res) => {
    void (async () => {
      const pathname = new URL(req.url ?? "/", "http://spa").pathname;
      try {
        if (req.method !== "GET" && req.method !== "HEAD")
          return send(res, 405, "text/plain", "GET only");
        if (pathname === "/config.js")
          return send(res, 200, TYPES[".js"]!, config);
        if (pathname === "/vendor/openapi-fetch.js")
          return send(res, 200, TYPES[".js"]!, await readFile(openapiFetch));
        const client = CLIENT_MODULE.exec(pathname);
        if (client)
          return send(res, 200, TYPES[".js"]!, await clientModule(client[1]!));
        const name = pathname === "/" ? "index.html" : pathname.slice(1);
        if (!FILE_NAME.test(name))
          return send(res, 404, "text/plain", "Not found");
        const body = await readFile(path.join(spaDir, name));
        return send(res, 200, TYPES[path.extname(name)]!, body);
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        send(
          res,
          missing ? 404 : 500,
          "text/plain",
          missing ? "Not found" : String(error)
        );
      }
    })();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "localhost", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://localhost:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
