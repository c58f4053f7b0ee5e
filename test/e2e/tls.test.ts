import {writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {linkerdInbound} from '../helpers/exposition.js';
import {fakeLinkerd, linkerdAdmin, linkerdEnv, type FakeLinkerd} from '../helpers/fake-proxies.js';
import {startHttpsServer, type TestServer} from '../helpers/servers.js';
import {HAVE_OPENSSL, mintPki, noticeIfNoOpenssl, type Pki} from '../helpers/tls.js';

/**
 * Admin endpoints behind TLS (an auth proxy in front of the admin port, say): a server
 * certificate from a private CA, and one endpoint that also asks for a client certificate.
 * Each https proxy serves 10 requests of which 1 failed; a plain-http proxy beside them
 * serves 4 successes, so a partial failure still shows its row.
 */
noticeIfNoOpenssl();

const START = Math.floor(Date.now() / 1000) - 60;
const admin = (pod: string, statuses: {status: string; count: number}[]): FakeLinkerd => ({
  env: linkerdEnv(pod, 'shop'),
  metrics: () => linkerdInbound(statuses.map(({status, count}) => ({status, byBucket: {5: count}})), 1, START),
});
const BOOKS = admin('books-5d9f8c6b57-x2kqp', [{status: '200', count: 9}, {status: '500', count: 1}]);
const AUTHORS = admin('authors-7f9d8c6b5-q8wzt', [{status: '200', count: 4}]);

interface Row {
  name: string;
  requests: number;
  success: number;
}

describe.skipIf(!HAVE_OPENSSL)('https admin endpoints', () => {
  let pki: Pki;
  let books: TestServer;
  let mutual: TestServer;
  let authors: TestServer;
  beforeAll(async () => {
    pki = mintPki();
    books = await startHttpsServer(linkerdAdmin(BOOKS), {key: pki.serverKey, cert: pki.serverCert});
    mutual = await startHttpsServer(linkerdAdmin(BOOKS), {key: pki.serverKey, cert: pki.serverCert, clientCa: pki.ca});
    authors = await fakeLinkerd(AUTHORS);
  }, 20_000);
  afterAll(() => Promise.all([books, mutual, authors].filter(Boolean).map((s) => s.close())));

  const stat = (proxies: Record<string, TestServer>, extra: string[] = [], env: Record<string, string> = {}) =>
    runCli(['stat', '-t', '0', '-o', 'json', ...Object.entries(proxies).flatMap(([name, s]) => ['-p', `${name}=${s.url}`]), ...extra], {env});
  const rows = (stdout: string) => new Map((JSON.parse(stdout) as Row[]).map((r) => [r.name, r]));

  it('a private CA is not trusted by default: that proxy fails with a hint, the others are shown (exit 3)', async () => {
    const result = await stat({books, authors});
    expect(result.code).toBe(3);
    expect(rows(result.stdout).get('authors')).toMatchObject({requests: 4, success: 1});
    expect(result.stderr).toMatch(/proxy books: TLS error: unable to verify the first certificate \(trust its CA with --certificate-authority FILE\)/);
  });

  it('--certificate-authority makes it verify, and the numbers come through', async () => {
    const result = await stat({books, authors}, ['--certificate-authority', pki.caFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(rows(result.stdout).get('books')).toMatchObject({requests: 10, success: 0.9});
  });

  it('a CA that did not sign the server certificate does not help', async () => {
    const result = await stat({books}, ['--certificate-authority', pki.otherCaFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/proxy books: TLS error: unable to verify the first certificate/);
  });

  it('--insecure-skip-tls-verify reads it unverified, and says so', async () => {
    const result = await stat({books}, ['--insecure-skip-tls-verify']);
    expect(result.code).toBe(0);
    expect(rows(result.stdout).get('books')).toMatchObject({requests: 10});
    expect(result.stderr).toMatch(/^warning: server certificates of https:\/\/ admin endpoints are not verified/);
  });

  it('an endpoint that asks for a client certificate refuses without one and answers with one', async () => {
    const without = await stat({mutual}, ['--certificate-authority', pki.caFile]);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/proxy mutual: /);
    const withCert = await stat({mutual}, ['--certificate-authority', pki.caFile, '--client-certificate', pki.clientCertFile, '--client-key', pki.clientKeyFile]);
    expect(withCert.stderr).toBe('');
    expect(withCert.code).toBe(0);
    // Rows are per workload: the endpoint named `mutual` is a books pod.
    expect(rows(withCert.stdout).get('books')).toMatchObject({requests: 10, success: 0.9});
  });

  it('a context carries the same settings under tls:, with paths relative to the contexts file', async () => {
    const config = join(pki.dir, 'config.yaml');
    const rel = (file: string) => relative(pki.dir, file);
    writeFileSync(
      config,
      [
        'current-context: secure',
        'contexts:',
        '  secure:',
        '    tls:',
        `      certificate-authority: ${rel(pki.caFile)}`,
        `      client-certificate: ${rel(pki.clientCertFile)}`,
        `      client-key: ${rel(pki.clientKeyFile)}`,
        '    proxies:',
        `      - {name: mutual, url: "${mutual.url}"}`,
        '',
      ].join('\n'),
    );
    const result = await runCli(['stat', '-t', '0', '-o', 'json'], {env: {MESHCTL_CONFIG: config}});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(rows(result.stdout).get('books')).toMatchObject({requests: 10});
  });

  it('wrong TLS files are one clear error before any proxy is read', async () => {
    const missing = await stat({books}, ['--certificate-authority', join(pki.dir, 'nope.crt')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^meshctl: --certificate-authority: cannot read .*nope\.crt/);
    const notPem = await stat({books}, ['--certificate-authority', join(pki.dir, 'server.ext')]);
    expect(notPem.code).toBe(1);
    expect(notPem.stderr).toMatch(/^meshctl: --certificate-authority: .*server\.ext: no CA certificate in PEM form/);
    const alone = await stat({books}, ['--client-certificate', pki.clientCertFile]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/^meshctl: --client-certificate: a client certificate and its key go together/);
    const wrongKey = await stat({books}, ['--client-certificate', pki.clientCertFile, '--client-key', join(pki.dir, 'server.key')]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^meshctl: --client-key: .*server\.key: not a PEM private key that belongs to the client certificate/);
    for (const result of [missing, notPem, alone, wrongKey]) {
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
