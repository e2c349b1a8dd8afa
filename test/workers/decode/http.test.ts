/** HTTP/1.x heads (RFC 9112): method, target, Host, User-Agent; status code. */
import { describe, expect, it } from 'vitest';
import { AppSignature } from '../../../src/shared/packet-batch';
import { ascii, bytes, decodeBytes, tcpPacket } from './packet-bytes';

const RAW = 101;

describe('HTTP requests', () => {
  it('on any port: method, URI, Host with its port, User-Agent', () => {
    const request =
      'GET /index.html?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n';
    const { batch, row, meta } = decodeBytes(tcpPacket(50000, 8080, ascii(request)), RAW);
    expect(batch.appSignature[row]).toBe(AppSignature.httpRequest);
    expect(meta).toEqual({
      httpMethod: 'GET',
      httpUri: '/index.html?x=1',
      httpHost: 'example.com:8080',
      httpUserAgent: 'curl/8.0',
    });
  });

  it('field names are case-insensitive; leading whitespace of values dropped, trailing kept (as http.host)', () => {
    const request = 'POST /form HTTP/1.0\nhOST:\t example.org \nUSER-AGENT: x\n\n';
    const { meta } = decodeBytes(tcpPacket(50000, 80, ascii(request)), RAW);
    expect(meta).toEqual({
      httpMethod: 'POST',
      httpUri: '/form',
      httpHost: 'example.org ',
      httpUserAgent: 'x',
    });
  });

  it('WebDAV and other table methods; an unknown method or missing version is not HTTP', () => {
    const propfind = decodeBytes(
      tcpPacket(50000, 80, ascii('PROPFIND /dav/ HTTP/1.1\r\nHost: h\r\n\r\n')),
      RAW,
    );
    expect(propfind.meta?.httpMethod).toBe('PROPFIND');
    for (const text of ['GETX / HTTP/1.1\r\n\r\n', 'GET / FOO\r\n\r\n', 'get / HTTP/1.1\r\n\r\n']) {
      const { batch, row, meta } = decodeBytes(tcpPacket(50000, 80, ascii(text)), RAW);
      expect([batch.appSignature[row], meta], text).toEqual([0, undefined]);
    }
  });

  it('the URI ends at the first space, as http.request.uri (scanner requests put spaces in it)', () => {
    const request = 'GET /cgi-bin/x;cat /etc/passwd|?a=b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const { meta } = decodeBytes(tcpPacket(50000, 80, ascii(request)), RAW);
    expect([meta?.httpUri, meta?.httpHost]).toEqual(['/cgi-bin/x;cat', '127.0.0.1']);
  });

  it('a request line cut by the segment end still gives method and URI', () => {
    const { meta } = decodeBytes(tcpPacket(50000, 80, ascii('GET /a/very/long/path')), RAW);
    expect(meta).toEqual({ httpMethod: 'GET', httpUri: '/a/very/long/path' });
  });

  it('headers after the first 4 KB are not scanned', () => {
    const request = `GET / HTTP/1.1\r\nX-Pad: ${'p'.repeat(4100)}\r\nHost: late.example\r\n\r\n`;
    const { meta } = decodeBytes(tcpPacket(50000, 80, ascii(request)), RAW);
    expect(meta).toEqual({ httpMethod: 'GET', httpUri: '/' });
  });

  it('SIP requests are sip, not HTTP', () => {
    const { batch, row, meta } = decodeBytes(
      tcpPacket(5060, 5060, ascii('OPTIONS sip:bob@example.com SIP/2.0\r\n\r\n')),
      RAW,
    );
    expect([batch.appSignature[row], meta]).toEqual([AppSignature.sip, undefined]);
  });
});

describe('HTTP responses', () => {
  it('status code', () => {
    const { batch, row, meta } = decodeBytes(
      tcpPacket(80, 50000, ascii('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')),
      RAW,
    );
    expect([batch.appSignature[row], meta]).toEqual([AppSignature.httpResponse, { httpStatus: 404 }]);
  });

  it('a malformed status code gives no metadata', () => {
    const { meta } = decodeBytes(tcpPacket(80, 50000, bytes(ascii('HTTP/1.1 2x0 OK\r\n'))), RAW);
    expect(meta).toBeUndefined();
  });
});
