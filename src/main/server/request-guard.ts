/**
 * Browser-mode access control: loopback Host only (DNS-rebinding defence), same-origin POSTs,
 * and a per-run secret token carried by an HttpOnly SameSite=Strict cookie or a Bearer header.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The token cookie's name for a server on `port`: cookies are scoped by host, not by port
 * (RFC 6265 8.5), so two `serve` instances on 127.0.0.1 need different names or the second
 * login would overwrite the first's cookie.
 */
export function tokenCookieName(port: number): string {
  return `flowlab_token_${port}`;
}

/** A fresh random token: 32 bytes, base64url. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares secrets in constant time (hashing first so lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** True when the Host header is exactly 127.0.0.1:PORT or localhost:PORT. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const lower = host.toLowerCase();
  return lower === `127.0.0.1:${port}` || lower === `localhost:${port}`;
}

/** For POSTs: an Origin header, when present, must be this server's own origin. */
export function isAllowedOrigin(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const own = `http://${String(request.headers.host).toLowerCase()}`;
  return origin.toLowerCase() === own && isAllowedHost(request.headers.host, port);
}

/** The token a request carries: `Authorization: Bearer T`, else this port's token cookie. */
export function requestToken(request: IncomingMessage, port: number): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  const cookies = request.headers.cookie;
  if (!cookies) return undefined;
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === tokenCookieName(port)) return value.join('=');
  }
  return undefined;
}

/** The Set-Cookie value that carries the token (HttpOnly: never readable by scripts). */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
