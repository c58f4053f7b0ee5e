import {Scraper} from '../dialects/scrape.js';
import {createClient, type AdminClient} from '../transport/index.js';
import type {ResolvedTargets} from '../targets/resolve.js';
import {readSettings, stderrChalk, targetsFor, type CommandContext, type ReadSettings} from './context.js';

/** Everything a read command needs to talk to the proxies of this run. */
export interface Session {
  resolved: ResolvedTargets;
  settings: ReadSettings;
  client: AdminClient;
  scraper: Scraper;
}

export function openSession(ctx: CommandContext, options: {checkReady?: boolean} = {}): Session {
  const resolved = targetsFor(ctx);
  const settings = readSettings(ctx.globals, resolved);
  if (settings.tls?.insecureSkipVerify) {
    ctx.io.stderr.write(`${stderrChalk(ctx).yellow('warning')}: server certificates of https:// admin endpoints are not verified (insecure-skip-tls-verify)\n`);
  }
  const client = createClient({timeoutMs: settings.timeoutMs, headers: settings.headers, concurrency: settings.concurrency, tls: settings.tls});
  return {resolved, settings, client, scraper: new Scraper(client, settings.concurrency, options.checkReady ?? false)};
}
