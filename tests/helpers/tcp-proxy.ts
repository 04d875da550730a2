import net, { type AddressInfo, type Socket } from "node:net";

export interface TcpProxy {
  /** Where clients connect: `127.0.0.1:<port>`. */
  host: string;
  /** Cuts every proxied connection and refuses new ones, as a database that went away. */
  down(): void;
  /** Accepts connections again, as a database that came back. */
  up(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy between the API and its database, so a test can take the
 * database away and bring it back on any engine (the embedded FerretDB or a
 * real MongoDB) without stopping the server the other test files share.
 * While down, connections are accepted and closed at once: to the driver
 * that is a database refusing, and the port stays ours.
 */
export async function startTcpProxy(target: {
  host: string;
  port: number;
}): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let refusing = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };

  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", cut);
    upstream.on("error", cut);
    client.once("close", cut);
    upstream.once("close", cut);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const down = () => {
    refusing = true;
    for (const socket of sockets) socket.destroy();
  };
  return {
    host: `127.0.0.1:${port}`,
    down,
    up() {
      refusing = false;
    },
    close() {
      down();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The database URI with its host replaced by the proxy's, and a direct
 * connection: behind a proxy, a replica set's member list would send the
 * driver around it.
 */
export function uriThrough(uri: string, proxy: TcpProxy): string {
  const url = new URL(uri);
  url.host = proxy.host;
  url.searchParams.set("directConnection", "true");
  return url.toString();
}

/** The host and port a `mongodb://` URI names first. */
export function targetOf(uri: string): { host: string; port: number } {
  const url = new URL(uri);
  return { host: url.hostname, port: Number(url.port || 27017) };
}
