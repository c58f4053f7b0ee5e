import {nowMs} from '../model/snapshot.js';
import {exitCodeFor} from '../render/failures.js';
import {proxyRecord, renderProxiesTable} from '../render/proxies.js';
import {renderJson, renderYaml} from '../render/records.js';
import {proxyRows} from '../views/proxies.js';
import {OUTPUT_FORMATS, parseOutputFormat, stdoutChalk, type CommandContext, type OutputFormat} from './context.js';
import {EXIT} from '../exit-codes.js';
import {openSession} from './session.js';

export async function run(ctx: CommandContext, _args: string[], raw: Record<string, unknown>): Promise<number> {
  const format = parseOutputFormat<OutputFormat>(String(raw.output), OUTPUT_FORMATS);
  const session = openSession(ctx, {checkReady: true});
  const results = await session.scraper.scrapeAll(session.resolved.targets, {
    deadlineMs: nowMs() + 2 * session.settings.timeoutMs + 500,
    signal: ctx.signal,
  });
  if (ctx.signal.aborted) return EXIT.INTERRUPTED;
  const rows = proxyRows(results);
  if (format === 'json') ctx.io.stdout.write(renderJson(rows.map(proxyRecord)));
  else if (format === 'yaml') ctx.io.stdout.write(renderYaml(rows.map(proxyRecord)));
  else ctx.io.stdout.write(`${renderProxiesTable(rows, format === 'wide', stdoutChalk(ctx, false))}\n`);
  const failed = rows.filter((r) => r.error !== null).length;
  return exitCodeFor(rows.length - failed, failed);
}
