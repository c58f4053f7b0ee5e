import {createServer as createNetServer} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {linkerdInbound} from '../helpers/exposition.js';
import {fakeLinkerd, linkerdEnv} from '../helpers/fake-proxies.js';
import {startServer, type TestServer} from '../helpers/servers.js';

/**
 * One healthy proxy next to one faulty one: meshctl must name the faulty proxy and the
 * reason on stderr, still print the healthy proxy's row, exit 3 (partial), and finish within
 * the timeout rather than hang.
 */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const START = Math.floor(Date.now() / 1000) - 60;
const healthyText = linkerdInbound([{status: '200', byBucket: {5: 10}}], 1, START);

async function healthy(): Promise<TestServer> {
  const server = await fakeLinkerd({env: linkerdEnv('books-5d9f8c6b57-x2kqp', 'shop'), metrics: () => healthyText});
  servers.push(server);
  return server;
}

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as {port: number}).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function statWith(bad: string, extra: string[] = []) {
  const good = await healthy();
  return runCli(['stat', '-t', '0', '-o', 'json', '--timeout', '1s', '-p', `books=${good.url}`, '-p', `bad=${bad}`, ...extra], {timeoutMs: 15_000});
}

function expectPartial(result: Awaited<ReturnType<typeof runCli>>, reason: RegExp) {
  expect(result.code).toBe(3);
  const rows = JSON.parse(result.stdout);
  expect(rows.map((r: {name: string}) => r.name)).toContain('books');
  expect(rows.find((r: {name: string}) => r.name === 'books').requests).toBe(10);
  expect(result.stderr).toMatch(/proxy bad: /);
  expect(result.stderr).toMatch(reason);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('stat with a faulty proxy next to a healthy one', () => {
  it('connection refused', async () => {
    const result = await statWith(`127.0.0.1:${await closedPort()}`);
    expectPartial(result, /refused/i);
  });

  it('a proxy that accepts and never answers: reported within the timeout', async () => {
    const silent = await serve(() => {});
    const result = await statWith(silent.url);
    expectPartial(result, /within 1s|timed out|timeout/i);
    // one timeout for metrics (no admin call follows a failed scrape) plus process start-up
    expect(result.durationMs).toBeLessThan(1000 * 2 + 2500);
  });

  it('HTTP 500 with its body excerpt', async () => {
    const failing = await serve((_req, res) => {
      res.statusCode = 500;
      res.end('upstream connect error');
    });
    expectPartial(await statWith(failing.url), /HTTP 500.*upstream connect error/);
  });

  it('a truncated body', async () => {
    const truncated = await serve((_req, res) => {
      res.setHeader('content-length', String(healthyText.length));
      res.write(healthyText.slice(0, 100));
      setTimeout(() => res.destroy(), 20);
    });
    expectPartial(await statWith(truncated.url), /truncat|closed|reset/i);
  });

  it('malformed metrics: the line and column of the problem', async () => {
    const malformed = await serve((_req, res) => res.end('# TYPE response_total counter\nresponse_total{direction="inbound" 3\n'));
    expectPartial(await statWith(malformed.url, ['--dialect', 'linkerd']), /line 2, column \d+/);
  });

  it('an enormous (50 MB) body is refused at the size cap without reading it all', async () => {
    const chunk = Buffer.from(`response_total{direction="inbound"} 1\n`.repeat(32 * 1024));
    const huge = await serve((_req, res) => {
      let sent = 0;
      const pump = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const result = await statWith(huge.url, ['--dialect', 'linkerd', '--timeout', '10s']);
    expectPartial(result, /too large.*32 MiB/i);
  });

  it('gzip bodies are decoded', async () => {
    const gz = await fakeLinkerd({env: linkerdEnv('books-5d9f8c6b57-x2kqp', 'shop'), metrics: () => healthyText, gzip: true});
    servers.push(gz);
    const result = await runCli(['stat', '-t', '0', '-o', 'json', '-p', gz.url]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)[0].requests).toBe(10);
  });

  it('every proxy failing exits 1', async () => {
    const result = await runCli(['stat', '-t', '0', '--timeout', '1s', '-p', `127.0.0.1:${await closedPort()}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused/i);
    expect(result.stdout).toBe('');
  });

  it('label values and identities holding escape sequences never reach the terminal raw', async () => {
    const evil = await fakeLinkerd({
      env: linkerdEnv('evil\u001b[2J\u001b]0;pwned\u0007-5d9f8c6b57-x2kqp', 'shop\u001b[31m'),
      metrics: () => healthyText,
    });
    servers.push(evil);
    for (const output of ['table', 'wide', 'json', 'yaml']) {
      const result = await runCli(['stat', '-t', '0', '-o', output, '-p', evil.url]);
      expect(result.code, output).toBe(0);
      expect(result.stdout, output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(result.stderr, output).not.toMatch(/\u001b/);
    }
    const table = await runCli(['stat', '-t', '0', '-p', evil.url]);
    expect(table.stdout).toContain('evil\\x1b[2J\\x1b]0;pwned\\x07');
  });

  it('usage errors exit 2 with a hint and no stack trace', async () => {
    for (const args of [['stat', '--window', 'soon'], ['stat', 'bogus/x'], ['stat', '-o', 'xml'], ['stat', '--sort-by', 'color']]) {
      const result = await runCli([...args, '-p', '127.0.0.1:1']);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^meshctl: /m);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
