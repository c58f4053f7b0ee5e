import {selectLiveProxies} from '../dialects/live-proxies.js';
import {ownWorkload} from '../dialects/own-workload.js';
import {EXIT} from '../exit-codes.js';
import {nowMs} from '../model/snapshot.js';
import type {WorkloadRef} from '../model/workload.js';
import {countdown} from '../render/countdown.js';
import {renderFailures} from '../render/failures.js';
import type {ResourceSelector} from '../views/resources.js';
import type {RouteRow} from '../views/routes.js';
import {parseTapFilter} from '../views/tap-filter.js';
import {TapRoutes} from '../views/tap-routes.js';
import {stderrChalk, type CommandContext} from './context.js';
import {liveExitCode, openReportedTaps} from './live.js';
import type {Session} from './session.js';

export interface TapRoutesResult {
  rows: RouteRow[];
  exitCode: number;
}

/**
 * `routes --from-tap`: tap the selected proxies for the window and derive routes from the
 * requests seen, for meshes without route configuration. Proxies that cannot be tapped
 * (Linkerd; Envoy without the tap filter) are named on stderr with the reason.
 */
export async function routesFromTap(ctx: CommandContext, session: Session, selector: ResourceSelector | null, windowMs: number, configId: string): Promise<TapRoutesResult> {
  const {io, signal} = ctx;
  const errChalk = stderrChalk(ctx);
  const selection = await selectLiveProxies(session.scraper, session.resolved.targets, selector, {timeoutMs: session.settings.timeoutMs, signal});
  io.stderr.write(renderFailures(selection.failures, errChalk));
  const workloads = new Map<string, WorkloadRef>(selection.proxies.map((p) => [p.target.name, ownWorkload(p.info.identity, p.target)]));
  const routes = new TapRoutes((proxy) => workloads.get(proxy) ?? {name: proxy, namespace: null});
  const {run: taps, warnings, dropped, failed, noneOpened} = await openReportedTaps(ctx, session, selection, {
    filter: parseTapFilter({}),
    configId,
    onEvents: (events) => routes.add(events),
  });
  if (noneOpened !== null) return {rows: [], exitCode: noneOpened};
  const started = nowMs();
  const onWait = countdown(io.stderr, windowMs);
  while (!signal.aborted && nowMs() - started < windowMs) {
    onWait(windowMs - (nowMs() - started));
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, windowMs - (nowMs() - started))));
  }
  onWait(0);
  taps.closeAll();
  io.stderr.write(warnings.closing());
  if (signal.aborted) return {rows: [], exitCode: EXIT.INTERRUPTED};
  return {
    rows: routes.rows((nowMs() - started) / 1000),
    exitCode: liveExitCode({working: taps.tapped.length, failed: failed + dropped(), allUnsupported: false, interrupted: false}),
  };
}
