import {Scraper} from '../dialects/scrape.js';
import {createClient, type AdminClient} from '../transport/index.js';
import type {ResolvedTargets} from '../targets/resolve.js';
import {readSettings, targetsFor, type CommandContext, type ReadSettings} from './context.js';

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
  const client = createClient({timeoutMs: settings.timeoutMs, headers: settings.headers, concurrency: settings.concurrency});
  return {resolved, settings, client, scraper: new Scraper(client, settings.concurrency, options.checkReady ?? false)};
}
