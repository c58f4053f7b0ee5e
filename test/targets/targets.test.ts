import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {UsageError, UserError} from '../../src/errors.js';
import {readContextsFile, removeContext, upsertContext} from '../../src/targets/config.js';
import {normalizeUrl, parseProxyList} from '../../src/targets/parse.js';
import {parseHeaderFlags, resolveTargets} from '../../src/targets/resolve.js';
import {tempDir} from '../helpers/cli.js';

describe('proxy specs', () => {
  it.each([
    ['10.0.0.7:4191', 'http://10.0.0.7:4191'],
    ['http://10.0.0.7:4191/', 'http://10.0.0.7:4191'],
    ['https://h:15000', 'https://h:15000'],
    ['[::1]:4191', 'http://[::1]:4191'],
    ['h:15090/stats/prometheus', 'http://h:15090/stats/prometheus'],
  ])('%s → %s', (input, expected) => expect(normalizeUrl(input)).toBe(expected));

  it('accepts repeated and comma-separated values, with optional names', () => {
    expect(parseProxyList(['a=10.0.0.1:4191,10.0.0.2:4191', 'http://b:15090'])).toEqual([
      {name: 'a', url: 'http://10.0.0.1:4191'},
      {name: '10.0.0.2:4191', url: 'http://10.0.0.2:4191'},
      {name: 'b:15090', url: 'http://b:15090'},
    ]);
  });

  it('rejects other schemes and garbage with a usage error', () => {
    expect(() => normalizeUrl('ftp://x:1')).toThrow(UsageError);
    expect(() => normalizeUrl('http://')).toThrow(UsageError);
  });

  it('parses -H headers', () => {
    expect(parseHeaderFlags(['Authorization: Bearer x:y', 'X-A:1'])).toEqual({Authorization: 'Bearer x:y', 'X-A': '1'});
    expect(() => parseHeaderFlags(['nocolon'])).toThrow(UsageError);
  });
});

describe('target resolution: flags over env over the contexts file', () => {
  const dir = tempDir();
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      '# my meshes',
      'current-context: prod',
      'contexts:',
      '  prod:',
      '    namespace: shop',
      '    headers: {Authorization: Bearer t}',
      '    proxies:',
      '      - url: 10.0.0.1:15090',
      '        admin: 10.0.0.1:15000',
      '        name: reviews-v1-abc',
      '        dialect: istio',
      '      - 10.0.0.2:4191',
      '  staging:',
      '    proxies: [{url: "10.1.0.1:4191"}]',
      '',
    ].join('\n'),
  );
  const env = {MESHCTL_CONFIG: config};

  it('uses the current context, with admin URLs, dialect aliases, namespace and headers', () => {
    const r = resolveTargets({}, env);
    expect(r.origin).toBe('context');
    expect(r.defaultNamespace).toBe('shop');
    expect(r.headers).toEqual({Authorization: 'Bearer t'});
    expect(r.targets[0]).toEqual({name: 'reviews-v1-abc', url: 'http://10.0.0.1:15090', adminUrl: 'http://10.0.0.1:15000', dialect: 'envoy', namespace: 'shop', workload: undefined});
    expect(r.targets[1]).toMatchObject({name: '10.0.0.2:4191', url: 'http://10.0.0.2:4191'});
  });

  it('--context picks another context', () => {
    expect(resolveTargets({context: 'staging'}, env).targets.map((t) => t.url)).toEqual(['http://10.1.0.1:4191']);
  });

  it('MESHCTL_PROXIES wins over the file, -p over both', () => {
    expect(resolveTargets({}, {...env, MESHCTL_PROXIES: '10.9.9.9:4191'}).targets.map((t) => t.url)).toEqual(['http://10.9.9.9:4191']);
    expect(resolveTargets({proxy: ['x=10.8.8.8:4191']}, {...env, MESHCTL_PROXIES: '10.9.9.9:4191'}).targets.map((t) => t.name)).toEqual(['x']);
  });

  it('--dialect forces every target', () => {
    expect(resolveTargets({proxy: ['a:1', 'b:2'], dialect: 'linkerd'}, env).targets.every((t) => t.dialect === 'linkerd')).toBe(true);
  });

  it('explains what to do when there is nothing to read', () => {
    const empty = join(tempDir(), 'none.yaml');
    try {
      resolveTargets({}, {MESHCTL_CONFIG: empty});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).hint).toMatch(/demo up/);
    }
    expect(() => resolveTargets({context: 'nope'}, env)).toThrow(/no context named "nope"/);
  });

  it('reads a context\'s tls: block, paths relative to the file, and refuses unknown keys or wrong types', () => {
    const dir = tempDir();
    const path = join(dir, 'tls.yaml');
    const write = (tls: string) =>
      writeFileSync(path, `current-context: c\ncontexts:\n  c:\n    tls: ${tls}\n    proxies: [10.0.0.1:4191]\n`);
    write('{certificate-authority: pki/ca.crt, client-certificate: /abs/c.crt, client-key: c.key, insecure-skip-tls-verify: false}');
    expect(resolveTargets({}, {MESHCTL_CONFIG: path}).tls).toEqual({
      certificateAuthority: join(dir, 'pki', 'ca.crt'),
      clientCertificate: '/abs/c.crt',
      clientKey: join(dir, 'c.key'),
      insecureSkipVerify: false,
      origin: `context "c" in ${path}`,
    });
    write('{ca-file: x}');
    expect(() => resolveTargets({}, {MESHCTL_CONFIG: path})).toThrow(/unknown key "ca-file" under "tls"/);
    write('{insecure-skip-tls-verify: "yes"}');
    expect(() => resolveTargets({}, {MESHCTL_CONFIG: path})).toThrow(/"insecure-skip-tls-verify" must be true or false/);
    write('[a]');
    expect(() => resolveTargets({}, {MESHCTL_CONFIG: path})).toThrow(/"tls" must be a mapping/);
  });

  it('reports malformed YAML with its line', () => {
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'contexts:\n  a: [\n');
    expect(() => readContextsFile(bad)).toThrow(UserError);
    expect(() => readContextsFile(bad)).toThrow(/bad\.yaml:\d+:\d+ is not valid YAML/);
  });
});

describe('writing contexts', () => {
  it('upsert keeps other contexts and comments; remove restores the previous current context', () => {
    const path = join(tempDir(), 'config.yaml');
    writeFileSync(path, '# keep me\ncurrent-context: prod\ncontexts:\n  prod:\n    proxies: [10.0.0.1:4191]\n');
    upsertContext(path, 'demo', {proxies: [{url: 'http://127.0.0.1:4000', name: 'webapp-1'}], 'previous-context': 'prod'}, true);
    let file = readContextsFile(path);
    expect(file['current-context']).toBe('demo');
    expect(Object.keys(file.contexts).sort()).toEqual(['demo', 'prod']);
    expect(readFileSync(path, 'utf8')).toContain('# keep me');
    removeContext(path, 'demo', 'prod');
    file = readContextsFile(path);
    expect(file['current-context']).toBe('prod');
    expect(Object.keys(file.contexts)).toEqual(['prod']);
  });
});
