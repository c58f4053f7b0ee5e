import {Chalk} from 'chalk';
import {describe, expect, it} from 'vitest';
import {liveExitCode, parseTarget, Stopper} from '../../../src/commands/live.js';
import {UnsupportedError, UserError} from '../../../src/errors.js';
import {renderRefusals, renderTapTally, WarningLog} from '../../../src/render/tap-report.js';
import {countedOnce} from '../../../src/views/top-sources.js';
import {makeEvent} from '../events.js';

const plain = new Chalk({level: 0});

describe('refusals on stderr', () => {
  it('names proxies refused for the same reason together, with the hint once', () => {
    const linkerd = (name: string) => ({target: {name}, error: new UnsupportedError(`${name}: Linkerd proxies cannot be tapped`, 'use top')});
    const busy = {target: {name: 'envoy-a'}, error: new UserError('envoy-a: another client is tapping', {hint: 'stop it'})};
    expect(renderRefusals([linkerd('l5d-a'), busy, linkerd('l5d-b')], plain)).toBe(
      'error: l5d-a, l5d-b: Linkerd proxies cannot be tapped\n  use top\nerror: envoy-a: another client is tapping\n  stop it\n',
    );
  });

  it('sanitizes proxy-provided text', () => {
    const out = renderRefusals([{target: {name: 'x\u001b[2Jy'}, error: new UserError('x\u001b[2Jy: HTTP 400: \u001b]0;t\u0007')}], plain);
    expect(out).not.toMatch(/\u001b|\u0007/);
  });
});

describe('warnings', () => {
  it('prints each distinct warning once and counts repeats and overflow', () => {
    let written = '';
    const log = new WarningLog((text) => (written += text), plain, 2);
    log.warn('a: skipped a TCP trace');
    log.warn('a: skipped a TCP trace');
    log.warn('b: skipped a trace that is not valid JSON');
    log.warn('c: third distinct');
    expect(written).toBe('warning: a: skipped a TCP trace\nwarning: b: skipped a trace that is not valid JSON\n');
    expect(log.closing()).toBe('warning: 2 more warning(s) not shown\n');
  });
});

describe('the tap tally', () => {
  it('says how many were shown, matched and sampled out', () => {
    expect(renderTapTally({shown: 3, unprinted: 0, matched: 40, sampledOut: 37, proxies: 2, elapsedMs: 1500, stoppedBy: '--duration 1500ms elapsed'})).toBe(
      'tap: 3 requests shown of 40 matching, 37 left out by --max-rps from 2 proxies in 1.5s (--duration 1500ms elapsed)\n',
    );
    expect(renderTapTally({shown: 1, unprinted: 0, matched: 1, sampledOut: 0, proxies: 1, elapsedMs: 200, stoppedBy: '--count 1 reached'})).toBe(
      'tap: 1 request shown from 1 proxy in 200ms (--count 1 reached)\n',
    );
    expect(renderTapTally({shown: 900, unprinted: 100, matched: 1000, sampledOut: 0, proxies: 1, elapsedMs: 4000, stoppedBy: 'interrupted'})).toBe(
      'tap: 900 requests shown of 1000 matching, 100 not printed while the output was not being read from 1 proxy in 4s (interrupted)\n',
    );
  });
});

describe('live command helpers', () => {
  it('exit codes: interrupted, unsupported, nothing worked, partial, ok', () => {
    const base = {working: 2, failed: 0, allUnsupported: false, interrupted: false};
    expect(liveExitCode({...base, interrupted: true, failed: 3})).toBe(130);
    expect(liveExitCode({...base, working: 0, failed: 2, allUnsupported: true})).toBe(4);
    expect(liveExitCode({...base, working: 0, failed: 2})).toBe(1);
    expect(liveExitCode({...base, failed: 1})).toBe(3);
    expect(liveExitCode(base)).toBe(0);
  });

  it('TARGET: at most one, KIND/NAME', () => {
    expect(parseTarget([])).toBeNull();
    expect(parseTarget(['deploy/web'])).toEqual({kind: 'workload', name: 'web'});
    expect(parseTarget(['ns/shop'])).toEqual({kind: 'namespace', name: 'shop'});
    expect(() => parseTarget(['deploy/a', 'deploy/b'])).toThrow(/at most one TARGET/);
    expect(() => parseTarget(['svc/a'])).toThrow(/unknown resource kind "svc"/);
  });

  it('Stopper: the first reason wins; the duration timer and the signal stop it', async () => {
    const controller = new AbortController();
    const byDuration = new Stopper(controller.signal, 20);
    expect(await byDuration.stopped).toBe('duration');
    const bySignal = new Stopper(controller.signal, 10_000);
    controller.abort();
    expect(await bySignal.stopped).toBe('interrupted');
    const byCall = new Stopper(new AbortController().signal, null);
    byCall.stop('count');
    byCall.stop('quit');
    expect(await byCall.stopped).toBe('count');
    expect(byCall.reason).toBe('count');
  });
});

describe('top counts each tapped request once', () => {
  const tapped = new Set(['shop/web']);
  it('drops the inbound copy of a request whose client proxy is tapped too', () => {
    expect(countedOnce(makeEvent({direction: 'inbound', source: {name: 'web', namespace: 'shop'}}), tapped)).toBe(false);
    expect(countedOnce(makeEvent({direction: 'outbound', source: {name: 'web', namespace: 'shop'}}), tapped)).toBe(true);
    expect(countedOnce(makeEvent({direction: 'inbound', source: {name: 'batch', namespace: 'shop'}}), tapped)).toBe(true);
    expect(countedOnce(makeEvent({direction: 'inbound', source: '10.0.0.9:4000'}), tapped)).toBe(true);
    expect(countedOnce(makeEvent({direction: null, source: {name: 'web', namespace: 'shop'}}), tapped)).toBe(true);
  });
});
