/**
 * Small loopback HTTP servers that stand in for the network between the client and a real registry: a proxy that
 * fails the first requests (503s, dropped connections) or tampers with bodies, and a read-only file server playing
 * the blob storage a registry redirects to. Both record what they saw.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The upstream's status, once it answered (proxy only). */
  status?: number;
}

export interface Loopback {
  /** `127.0.0.1:PORT` */
  address: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** What the proxy does with request number `n` (from 1): pass it on, answer with a status, or drop the connection. */
export type Fault = (n: number, seen: Seen) => 'pass' | 'reset' | number;

export interface ProxyOptions {
  fault?: Fault;
  /** Rewrites a response body (for URLs it matches) before it reaches the client. */
  tamper?: (url: string, body: Buffer) => Buffer | undefined;
  /** Listen on this port (default: any free one). */
  port?: number;
  /**
   * Drops the connection once, in the middle of the first response body that is longer than this many bytes, after
   * passing exactly this many of them on: a download broken off by the network.
   */
  cutOnceAfter?: number;
  /** Leaves out the request's Range header, as a server (or proxy) that does not do ranges would. */
  ignoreRange?: boolean;
}

async function listen(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** A proxy in front of `target` (`127.0.0.1:5000`) that rewrites nothing but the faults and tampering asked for. */
export async function startProxy(target: string, options: ProxyOptions = {}): Promise<Loopback> {
  const seen: Seen[] = [];
  let cut = false;
  const [targetHost, targetPort] = target.split(':');
  const server = createServer((request, response) => {
    const entry: Seen = { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers };
    seen.push(entry);
    const fault = options.fault?.(seen.length, entry) ?? 'pass';
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    if (typeof fault === 'number') {
      request.resume();
      response.writeHead(fault, { 'content-type': 'text/plain', 'retry-after': '0' }).end('injected failure');
      return;
    }
    const headers = { ...request.headers, host: target };
    if (options.ignoreRange) delete headers.range;
    const upstream = httpRequest(
      { host: targetHost, port: Number(targetPort), method: request.method, path: request.url, headers },
      (answer) => {
        entry.status = answer.statusCode;
        const rewritten = { ...answer.headers };
        // Keep redirects and upload locations pointing at the proxy, so the client keeps talking through it.
        for (const key of ['location'] as const) {
          const value = rewritten[key];
          if (typeof value === 'string') rewritten[key] = value.replace(`http://${target}`, `http://${address}`);
        }
        if (!options.tamper) {
          response.writeHead(answer.statusCode ?? 502, rewritten);
          if (options.cutOnceAfter !== undefined && !cut && Number(answer.headers['content-length']) > options.cutOnceAfter) {
            cut = true;
            cutBody(answer, response, options.cutOnceAfter);
          } else answer.pipe(response);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const changed = options.tamper?.(request.url ?? '/', body) ?? body;
          rewritten['content-length'] = String(changed.length);
          response.writeHead(answer.statusCode ?? 502, rewritten).end(changed);
        });
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  const address = await listen(server, options.port);
  return { address, seen, close: closer(server) };
}

/** Passes the first `limit` body bytes on, then destroys the client's socket (and the upstream request). */
function cutBody(answer: IncomingMessage, response: ServerResponse, limit: number): void {
  let passed = 0;
  answer.on('data', (chunk: Buffer) => {
    if (passed >= limit) return;
    const part = chunk.subarray(0, limit - passed);
    passed += part.length;
    response.write(part);
    if (passed >= limit) {
      answer.destroy();
      // Let the bytes leave before the connection goes: the client must see a body broken after exactly `limit`.
      response.socket?.end(() => response.socket?.destroy());
    }
  });
}

/** Serves files under `root` read-only (GET/HEAD), as blob storage behind a registry's redirects would. */
export async function startFileServer(root: string, port = 0): Promise<Loopback> {
  const seen: Seen[] = [];
  const server = createServer(async (request, response) => {
    seen.push({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers });
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (path.includes('..') || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(403).end();
      return;
    }
    const file = join(root, path);
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      response.writeHead(200, { 'content-length': String(info.size), 'content-type': 'application/octet-stream' });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404).end();
    }
  });
  const address = await listen(server, port);
  return { address, seen, close: closer(server) };
}
