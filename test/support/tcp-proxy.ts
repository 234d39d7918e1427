import net from "node:net";

export interface TcpProxy {
  readonly port: number;
  /** Rewrites a URL's host and port to go through the proxy. */
  url(target: string): string;
  /** The outage: open connections are cut and new ones refused (nothing listens on the port). */
  refuse(): Promise<void>;
  /** The recovery: listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP pass-through on loopback in front of a server (PostgreSQL, Redis), for injecting an outage into the
 * processes of one test file only: the shared server itself is never stopped.
 */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const closeServer = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  return {
    port,
    url(target) {
      const url = new URL(target);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    },
    refuse: closeServer,
    restore: () => listen(port),
    close: closeServer,
  };
}
