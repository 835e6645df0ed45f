/**
 * A small Docker token service (the distribution "token" auth spec) for the token-auth test registry of
 * scripts/registry.sh: it checks basic credentials (or a refresh token), and issues RS256 JWTs signed with the key
 * whose certificate the registry trusts (`x5c` header), granting the requested repository actions. Anonymous callers
 * get pull on `public/*` only. It records every request so that tests can check the client's token flow.
 */
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { TestRegistries } from './registries.js';

export const REFRESH_TOKEN = 'layerwise-test-refresh-token';

export interface TokenRequestRecord {
  method: string;
  service: string | null;
  scopes: string[];
  /** `basic:<user>`, `refresh`, or `anonymous`. */
  who: string;
}

export interface TokenServer {
  requests: TokenRequestRecord[];
  close(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTokenServer(registries: TestRegistries, options: { expiresIn?: number } = {}): Promise<TokenServer> {
  const key = readFileSync(registries.tokenKey, 'utf8');
  const certificate = new X509Certificate(readFileSync(registries.tokenCert));
  const x5c = [certificate.raw.toString('base64')];
  const requests: TokenRequestRecord[] = [];

  function sign(subject: string, access: { type: string; name: string; actions: string[] }[]): string {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c }));
    const claims = base64url(
      JSON.stringify({
        iss: registries.tokenIssuer,
        sub: subject,
        aud: registries.tokenService,
        exp: now + (options.expiresIn ?? 300),
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access,
      }),
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
    return `${header}.${claims}.${base64url(signature)}`;
  }

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://token');
    if (url.pathname !== '/token') {
      response.writeHead(404).end();
      return;
    }
    let params = url.searchParams;
    let who = 'anonymous';
    if (request.method === 'POST') {
      params = new URLSearchParams(await readBody(request));
      if (params.get('grant_type') !== 'refresh_token' || params.get('refresh_token') !== REFRESH_TOKEN) {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
        return;
      }
      who = 'refresh';
    } else {
      const authorization = request.headers.authorization;
      if (authorization?.startsWith('Basic ')) {
        const [user, password] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(/:(.*)/s);
        if (user !== registries.user || password !== registries.password) {
          response.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
          return;
        }
        who = `basic:${user}`;
      }
    }
    const scopes = params.getAll('scope');
    requests.push({ method: request.method ?? 'GET', service: params.get('service'), scopes, who });
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = [scope.split(':')[0], scope.split(':')[1], scope.split(':').slice(2).join(':')];
      if (type !== 'repository' || !name) return [];
      const wanted = actions.split(',').filter(Boolean);
      const granted =
        who === 'anonymous' ? (name.startsWith('public/') ? wanted.filter((action) => action === 'pull') : []) : wanted;
      return [{ type, name, actions: granted }];
    });
    const token = sign(who, access);
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(
        JSON.stringify({ token, access_token: token, expires_in: options.expiresIn ?? 300, issued_at: new Date().toISOString() }),
      );
  });
  const [host, port] = registries.tokenServer.split(':');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), host, () => resolve());
  });
  return {
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
