import type { Server, ServerResponse } from "node:http";
import net, { type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface Drainable {
  /**
   * Stops listening, answers what comes on open connections with
   * `Connection: close`, and resolves once every connection has ended, or
   * once `timeoutMs` has passed (then the rest are cut).
   */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * A graceful stop under load. http.Server#close() also destroys the
 * keep-alive connections that are idle at that instant, and a client that
 * has just sent its next request on one of them gets a reset for a request
 * the server never saw (tests/faults/sigterm.test.ts saw a few in every run).
 * Here those connections stay open: their next request is answered with
 * `Connection: close`, and each ends after that answer; a connection left
 * idle ends at the server's keep-alive timeout, or at the drain deadline.
 */
export function drainable(server: Server): Drainable {
  const sockets = new Set<Socket>();
  const answering = new Set<ServerResponse>();
  let draining = false;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.prependListener("request", (_req, res: ServerResponse) => {
    if (draining) res.setHeader("Connection", "close");
    answering.add(res);
    res.once("close", () => answering.delete(res));
  });

  return {
    async drain(timeoutMs) {
      draining = true;
      for (const res of answering)
        if (!res.headersSent) res.setHeader("Connection", "close");
      // net's close, not http's: stop listening without cutting idle sockets.
      net.Server.prototype.close.call(server);
      const deadline = Date.now() + timeoutMs;
      while (sockets.size > 0 && Date.now() < deadline) await sleep(25);
      server.closeAllConnections();
    },
  };
}
