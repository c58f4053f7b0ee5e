import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli, startCli, tempDir, waitFor} from '../helpers/cli.js';
import {linkerdInbound} from '../helpers/exposition.js';
import {fakeLinkerd, linkerdEnv} from '../helpers/fake-proxies.js';
import type {TestServer} from '../helpers/servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const START = Math.floor(Date.now() / 1000) - 600;

/** A pod whose inbound counters grow by `perScrape` successful requests every scrape. */
async function pod(name: string, namespace: string, perScrape: number, seenHeaders?: Record<string, string>[]): Promise<TestServer> {
  let n = 0;
  const server = await fakeLinkerd({env: linkerdEnv(name, namespace), metrics: () => linkerdInbound([{status: '200', byBucket: {5: perScrape}}], 100 + n++, START)});
  if (seenHeaders) server.server.on('request', (req) => seenHeaders.push(req.headers as Record<string, string>));
  servers.push(server);
  return server;
}

describe('stat options', () => {
  it('--sort-by rps orders the busiest first; :asc reverses; names otherwise', async () => {
    const a = await pod('slow-5d9f8c6b57-x2kqp', 'shop', 1);
    const b = await pod('busy-5d9f8c6b57-x2kqp', 'shop', 50);
    const c = await pod('medium-5d9f8c6b57-x2kqp', 'shop', 10);
    const p = ['-p', [a, b, c].map((s) => s.url).join(',')];
    const names = async (...extra: string[]) => JSON.parse((await runCli(['stat', '-t', '1s', '-o', 'json', ...p, ...extra])).stdout).map((r: {name: string}) => r.name);
    expect(await names('--sort-by', 'rps')).toEqual(['busy', 'medium', 'slow']);
    expect(await names('--sort-by', 'rps:asc')).toEqual(['slow', 'medium', 'busy']);
    expect(await names()).toEqual(['busy', 'medium', 'slow'].sort());
  });

  it('selects by kind/name and namespace; pods are rows of their own', async () => {
    const a = await pod('web-5d9f8c6b57-x2kqp', 'shop', 5);
    const b = await pod('web-5d9f8c6b57-q8wzt', 'shop', 5);
    const c = await pod('db-0', 'data', 5);
    const p = ['-p', [a, b, c].map((s) => s.url).join(',')];
    const rows = async (...args: string[]) => JSON.parse((await runCli(['stat', '-t', '0', '-o', 'json', ...p, ...args])).stdout);
    expect((await rows('deploy/web')).map((r: {name: string; proxies: number}) => [r.name, r.proxies])).toEqual([['web', 2]]);
    expect((await rows('po', '-n', 'shop')).map((r: {name: string}) => r.name).sort()).toEqual(['web-5d9f8c6b57-q8wzt', 'web-5d9f8c6b57-x2kqp']);
    expect((await rows('ns')).map((r: {name: string}) => r.name).sort()).toEqual(['data', 'shop']);
    expect((await rows('-n', 'data')).map((r: {name: string}) => r.name)).toEqual(['db']);
  });

  it('reads the current context of the contexts file, with its namespace and headers; -H adds more', async () => {
    const seen: Record<string, string>[] = [];
    const a = await pod('web-5d9f8c6b57-x2kqp', 'shop', 5, seen);
    const config = join(tempDir(), 'config.yaml');
    writeFileSync(config, `current-context: lab\ncontexts:\n  lab:\n    namespace: shop\n    headers: {Authorization: Bearer abc}\n    proxies:\n      - url: ${a.url}\n        name: web-a\n`);
    const result = await runCli(['stat', '-t', '0', '-o', 'json', '-H', 'X-Team: mesh'], {env: {MESHCTL_CONFIG: config}});
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)[0]).toMatchObject({name: 'web', namespace: 'shop'});
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((h) => h.authorization === 'Bearer abc' && h['x-team'] === 'mesh')).toBe(true);
  });

  it('-w prints NDJSON every window when stdout is not a terminal, until Ctrl-C (exit 130)', async () => {
    const a = await pod('web-5d9f8c6b57-x2kqp', 'shop', 4);
    const cli = startCli(['stat', '-w', '-t', '1s', '-p', a.url]);
    await waitFor(() => cli.stdout().trim().split('\n').filter(Boolean).length >= 2, 15_000, 'two watch records');
    cli.child.kill('SIGINT');
    const {code} = await cli.exited;
    expect(code).toBe(130);
    const records = cli.stdout().trim().split('\n').map((l) => JSON.parse(l));
    expect(records.length).toBeGreaterThanOrEqual(2);
    for (const r of records) {
      expect(r).toMatchObject({name: 'web', requests: 4});
      expect(typeof r.time).toBe('string');
    }
  });

  it('colour: never when piped, forced by FORCE_COLOR or --color, refused by --no-color', async () => {
    const a = await pod('web-5d9f8c6b57-x2kqp', 'shop', 4);
    const plain = await runCli(['stat', '-t', '0', '-p', a.url]);
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = await runCli(['stat', '-t', '0', '-p', a.url], {env: {FORCE_COLOR: '1'}});
    expect(forced.stdout).toContain('\u001b[');
    expect((await runCli(['stat', '-t', '0', '--color', '-p', a.url])).stdout).toContain('\u001b[');
    expect((await runCli(['stat', '-t', '0', '--no-color', '-p', a.url], {env: {FORCE_COLOR: '1'}})).stdout).not.toContain('\u001b[');
    expect((await runCli(['stat', '-t', '0', '-o', 'json', '-p', a.url], {env: {FORCE_COLOR: '1'}})).stdout).not.toContain('\u001b[');
  });

  it('--help documents the exit codes; no proxies gives a hint towards the demo', async () => {
    const help = await runCli(['stat', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*3\s+partial/);
    const none = await runCli(['stat']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no proxies to read[\s\S]*meshctl demo up/);
  });
});
