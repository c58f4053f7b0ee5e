import {describe, expect, it} from 'vitest';
import {describeTransportError} from '../../src/transport/index.js';
import {transportError} from '../../src/transport/errors.js';
import {bodyExcerpt} from '../../src/transport/format.js';
import {formatBytes} from '../../src/util/bytes.js';
import {classifyNodeError} from '../../src/transport/node-errors.js';
import {decideRedirect} from '../../src/transport/redirect.js';
import {Semaphore} from '../../src/transport/semaphore.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1.2 * 1024 * 1024, '1.2 MiB'],
    [64 * 1024 * 1024, '64 MiB'],
    [50_000_000, '48 MiB'],
    [3 * 1024 ** 3, '3 GiB'],
  ])('%d bytes read as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('bodyExcerpt', () => {
  it('collapses whitespace, keeps 200 characters and marks the cut', () => {
    const excerpt = bodyExcerpt(`  a\n\nb\t${'c'.repeat(300)}`);
    expect(excerpt).toBe(`a b ${'c'.repeat(196)}…`);
  });
});

describe('error construction', () => {
  it('forces any message onto one escaped line', () => {
    const error = transportError('other', 'first\nsecond \u001b[1mbold', 'http://x');
    expect(error.message).toBe('first second \\x1b[1mbold');
  });

  it('describes each kind with a short summary before the message', () => {
    expect(describeTransportError(transportError('refused', 'connection refused', 'u'))).toBe('unreachable: connection refused');
    expect(describeTransportError(transportError('timeout', 'no response within 5s', 'u'))).toBe('timed out: no response within 5s');
    expect(describeTransportError(transportError('status', 'HTTP 503: no healthy upstream', 'u', 503))).toBe(
      'HTTP 503: no healthy upstream',
    );
    expect(describeTransportError(transportError('redirect', 'redirect loop: /a → /b → /a', 'u'))).toBe(
      'redirect loop: /a → /b → /a',
    );
  });
});

describe('classifyNodeError', () => {
  // Shapes as Node raises them (getaddrinfo failures cannot be provoked without a resolver,
  // which would send traffic off this machine).
  it('maps resolver failures to dns', () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND proxy.invalid'), {
      code: 'ENOTFOUND',
      hostname: 'proxy.invalid',
    });
    expect(classifyNodeError(notFound)).toEqual({kind: 'dns', message: 'host "proxy.invalid" not found'});
    expect(classifyNodeError(Object.assign(new Error('x'), {code: 'EAI_AGAIN'})).kind).toBe('dns');
  });

  it('maps unreachable networks to refused and certificate problems to tls', () => {
    expect(classifyNodeError(Object.assign(new Error('x'), {code: 'EHOSTUNREACH'}))).toEqual({
      kind: 'refused',
      message: 'host unreachable',
    });
    const selfSigned = Object.assign(new Error('self-signed certificate'), {code: 'DEPTH_ZERO_SELF_SIGNED_CERT'});
    expect(classifyNodeError(selfSigned)).toEqual({kind: 'tls', message: 'self-signed certificate (trust its CA with --certificate-authority FILE)'});
  });

  it('keeps the reason of an OpenSSL error and drops its file path', () => {
    const wrongVersion = Object.assign(
      new Error('write EPROTO 40E7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/ssl/record/ssl3_record.c:354:'),
      {code: 'EPROTO'},
    );
    expect(classifyNodeError(wrongVersion)).toEqual({
      kind: 'tls',
      message: 'wrong version number (is the endpoint plain HTTP? try http://)',
    });
  });
});

describe('decideRedirect', () => {
  const at = (...paths: string[]) => paths.map((path) => new URL(path, 'http://10.0.0.7:15000'));

  it('resolves relative locations against the current URL', () => {
    const decision = decideRedirect('prometheus?usedonly', at('/stats/'));
    expect(decision).toEqual({follow: true, url: new URL('http://10.0.0.7:15000/stats/prometheus?usedonly')});
  });

  it('treats an explicit default port as the same origin', () => {
    const decision = decideRedirect('http://proxy:80/b', [new URL('http://proxy/a')]);
    expect(decision.follow).toBe(true);
  });

  it('escapes a hostile location it cannot parse', () => {
    const decision = decideRedirect('http://[\u001b]/', at('/a'));
    expect(decision).toEqual({follow: false, message: 'redirect to an invalid location "http://[\\x1b]/"'});
  });
});

describe('Semaphore', () => {
  it('hands permits out first come, first served, and skips waiters that gave up', async () => {
    const semaphore = new Semaphore(1);
    const order: string[] = [];
    const held = await semaphore.acquire(new AbortController().signal);
    const quitter = new AbortController();
    const waitA = semaphore.acquire(new AbortController().signal).then((release) => (order.push('a'), release));
    const waitQuit = semaphore.acquire(quitter.signal);
    const waitB = semaphore.acquire(new AbortController().signal).then((release) => (order.push('b'), release));
    quitter.abort();
    expect(await waitQuit).toBeNull();
    held!();
    held!(); // releasing twice must not free a second permit
    const releaseA = await waitA;
    expect(semaphore.inUse).toBe(1);
    releaseA!();
    (await waitB)!();
    expect(order).toEqual(['a', 'b']);
    expect(semaphore.inUse).toBe(0);
  });
});
