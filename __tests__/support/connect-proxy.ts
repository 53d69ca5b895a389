/**
 * A local HTTP proxy that only tunnels (HTTP CONNECT), as corporate proxies in front of
 * self-hosted runners do, and records every tunnel it opens. `routes` sends a requested
 * `host:port` to a local address: the client never resolves the names it asks for, the proxy
 * does, which is how the tests reach hosts that exist only behind it.
 */
import http from 'node:http';
import net from 'node:net';

export class ConnectProxy {
  /** `host:port` of every tunnel asked for, in order. */
  readonly tunnels: string[] = [];
  /** Requests that were not CONNECT (a client sending plain HTTP to the proxy). */
  readonly plainRequests: string[] = [];
  private server: http.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  url = '';

  constructor(private readonly routes: Record<string, { host: string; port: number }>) {}

  async start(): Promise<string> {
    this.server = http.createServer((request, response) => {
      this.plainRequests.push(`${request.method} ${request.url}`);
      response.writeHead(405).end('this proxy only tunnels (CONNECT)');
    });
    this.server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const authority = request.url ?? '';
      this.tunnels.push(authority);
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      const [host, port] = authority.split(/:(?=\d+$)/);
      const route = this.routes[authority] ?? { host, port: Number(port) };
      const upstream = net.connect(route.port, route.host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
    return this.url;
  }

  clear(): void {
    this.tunnels.length = 0;
    this.plainRequests.length = 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    for (const socket of this.sockets) socket.destroy(); // tunnels are not the server's connections any more
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
