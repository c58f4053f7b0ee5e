import {UnsupportedError, UserError} from '../errors.js';
import type {Target} from '../model/target.js';
import type {TrafficEvent} from '../model/traffic.js';
import type {AdminClient} from '../transport/types.js';
import {EMPTY_ADDRESS_BOOK, type AddressBook} from '../views/address-book.js';
import {namePeers} from '../views/peer-naming.js';
import type {TapFilter} from '../views/tap-filter.js';
import type {LiveProxy} from './live-proxies.js';
import type {OpenTap} from './types.js';

export interface TapRunOptions {
  client: AdminClient;
  filter: TapFilter;
  configId: string;
  signal: AbortSignal;
  onEvents(events: TrafficEvent[]): void;
  onWarning(message: string): void;
  /** Known pod IPs: a request's other side left as a bare address is named from it (views/peer-naming.ts). */
  addressBook?: AddressBook;
  /** A stream that was open ended without meshctl closing it (the proxy went away). */
  onDropped(target: Target, reason: string): void;
}

/** Why one proxy is not being tapped. */
export interface TapRefusal {
  target: Target;
  error: UserError;
}

export interface TapRun {
  /** Proxies whose stream opened. */
  tapped: Target[];
  refused: TapRefusal[];
  /** Settles once every opened stream has ended (dropped by the proxy or closed). */
  allEnded: Promise<void>;
  closeAll(): void;
}

/**
 * Open one tap stream per proxy, all at once. A proxy that refuses (busy, no tap filter, a
 * family that cannot be tapped) is reported in `refused` while the others stream on.
 * Settles once every proxy has answered the opening request.
 */
export async function openTaps(proxies: readonly LiveProxy[], options: TapRunOptions): Promise<TapRun> {
  const opened: {target: Target; stream: OpenTap}[] = [];
  const refused: TapRefusal[] = [];
  const book = options.addressBook ?? EMPTY_ADDRESS_BOOK;
  const onEvents = (events: TrafficEvent[]) => options.onEvents(events.map((event) => namePeers(event, book)));
  await Promise.all(
    proxies.map(async ({target, info, dialect}, proxyIndex) => {
      if (!dialect.tap) {
        refused.push({target, error: new UnsupportedError(`${target.name}: ${dialect.name} proxies cannot be tapped`)});
        return;
      }
      const result = await dialect.tap({
        target,
        info,
        proxyIndex,
        filter: options.filter,
        configId: options.configId,
        client: options.client,
        signal: options.signal,
        onEvents,
        onWarning: options.onWarning,
      });
      if (result.ok) opened.push({target, stream: result.stream});
      else refused.push({target, error: result.error});
    }),
  );
  const order = (t: Target) => proxies.findIndex((p) => p.target === t);
  opened.sort((a, b) => order(a.target) - order(b.target));
  refused.sort((a, b) => order(a.target) - order(b.target));
  const allEnded = Promise.all(
    opened.map(async ({target, stream}) => {
      const reason = await stream.ended;
      if (reason !== null) options.onDropped(target, reason);
    }),
  ).then(() => undefined);
  const run: TapRun = {
    tapped: opened.map((o) => o.target),
    refused,
    allEnded,
    closeAll: () => opened.forEach((o) => o.stream.close()),
  };
  if (options.signal.aborted) run.closeAll();
  return run;
}
