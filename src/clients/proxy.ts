// Ours, not Node 24's built-in proxy agent (http.Agent proxyEnv): Node proxies loopback and reads `example.com` in NO_PROXY as that host only, where the runner's toolkit bypasses both; and the thumbprint needs the raw TLS socket, which no agent hands out.
/**
 * Outbound connections through an HTTP proxy, decided the way the runner's toolkit
 * (@actions/http-client) decides: `https_proxy`/`HTTPS_PROXY` for https targets,
 * `http_proxy`/`HTTP_PROXY` for http ones, `no_proxy`/`NO_PROXY` (comma-separated: `*`, a host,
 * a domain suffix with or without a leading dot, optionally `:port`) and loopback bypass it.
 * Every connection goes through an HTTP CONNECT tunnel, and TLS runs inside it, so the server
 * is verified end to end exactly as on a direct connection.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

type Env = Record<string, string | undefined>;

function isLoopback(host: string): boolean {
  const lower = host.toLowerCase();
  return lower === 'localhost' || lower.startsWith('127.') || lower === '[::1]' || lower === '::1';
}

export function bypassesProxy(target: URL, env: Env = process.env): boolean {
  if (!target.hostname || isLoopback(target.hostname)) return true;
  const noProxy = env.no_proxy || env.NO_PROXY || '';
  if (!noProxy) return false;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const host = target.hostname.toUpperCase();
  const hosts = [host, `${host}:${port}`];
  return noProxy
    .split(',')
    .map((item) => item.trim().toUpperCase())
    .filter(Boolean)
    .some((item) => item === '*' || hosts.some((h) => h === item || h.endsWith(`.${item}`) || (item.startsWith('.') && h.endsWith(item))));
}

/** The proxy for a target URL, or undefined to connect directly. */
export function proxyFor(target: URL, env: Env = process.env): URL | undefined {
  if (bypassesProxy(target, env)) return undefined;
  const value = target.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
  if (!value) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new Error(`the proxy variable for ${target.protocol.slice(0, -1)} is not a URL: ${value}`);
  }
}

export function anyProxyConfigured(env: Env = process.env): boolean {
  return Boolean(env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY);
}

/** Opens `host:port` through the proxy with HTTP CONNECT; resolves with the tunnelled socket. */
export function openTunnel(proxy: URL, host: string, port: number, timeoutMs = 10_000): Promise<net.Socket> {
  const authority = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const request = (proxy.protocol === 'https:' ? https : http).request({
    host: proxy.hostname,
    port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: authority,
    headers,
    timeout: timeoutMs,
  });
  return new Promise((resolve, reject) => {
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new Error(`the proxy ${proxy.host} refused to open a tunnel to ${authority} (${response.statusCode} ${response.statusMessage ?? ''})`.trim()));
    });
    request.once('timeout', () => request.destroy(new Error(`the proxy ${proxy.host} did not open a tunnel to ${authority} within ${timeoutMs} ms`)));
    request.once('error', (error) => reject(new Error(`could not reach the proxy ${proxy.host}: ${error.message}`, { cause: error })));
    request.end();
  });
}

type CreateCallback = (error: Error | null, socket?: Duplex) => void;
interface ConnectOptions extends tls.ConnectionOptions {
  host?: string;
  port?: number;
}

/**
 * An agent for http or https requests that tunnels each connection through the proxy the
 * environment names for its target (or connects directly when it names none, or bypasses it).
 */
function tunnellingAgent(secure: boolean, env: Env): http.Agent {
  const Base = secure ? https.Agent : http.Agent;
  const agent = new Base({ keepAlive: true });
  const direct = agent.createConnection.bind(agent) as (options: ConnectOptions, callback?: CreateCallback) => Duplex | undefined;
  (agent as unknown as { createConnection: (options: ConnectOptions, callback: CreateCallback) => Duplex | undefined }).createConnection = (
    options,
    callback,
  ) => {
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? (secure ? 443 : 80));
    const proxy = proxyFor(new URL(`${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`), env);
    if (!proxy) return direct(options, callback);
    openTunnel(proxy, host, port).then(
      (socket) => callback(null, secure ? tls.connect({ ...options, socket, servername: options.servername || host }) : socket),
      (error: Error) => callback(error),
    );
    return undefined;
  };
  return agent;
}

export interface ProxyAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

let agents: ProxyAgents | undefined;

/** The agents every HTTP client of the action uses when a proxy is configured; undefined otherwise. */
export function proxyAgents(): ProxyAgents | undefined {
  if (!anyProxyConfigured(process.env)) return undefined;
  agents ??= { httpAgent: tunnellingAgent(false, process.env), httpsAgent: tunnellingAgent(true, process.env) as https.Agent };
  return agents;
}
