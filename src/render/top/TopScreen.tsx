import {Box, Text, useApp, useInput, useStdin} from 'ink';
import {useEffect, useRef, useState} from 'react';
import {TOP_MODE_LABELS, type TopDataSource, type TopSnapshot} from '../../views/top.js';
import {viewRows} from '../../views/top-sort.js';
import {sanitize} from '../sanitize.js';
import {activeFilter, initialScreenState, legendFor, reduceKey, type Limits, type ScreenState} from './keys.js';
import {columnSpecs, layoutTable} from './layout.js';
import {TopTable} from './TopTable.js';
import {useTerminalSize} from './use-terminal-size.js';

export interface TopScreenProps {
  /** Where rows come from: the aggregator fed by tap or by metric deltas. */
  source: TopDataSource;
  /** Names of the proxies being watched, for the title line. */
  targets: readonly string[];
  /** How often the table is redrawn from the source. */
  refreshMs?: number;
  now?: () => number;
  initial?: Partial<ScreenState>;
  /** Called once when the user quits; `interrupted` is true for Ctrl-C. */
  onQuit?: (interrupted: boolean) => void;
}

/** Lines around the table: title, status, column header, legend, and one spare. */
const CHROME_LINES = 5;

interface Frozen {
  path: TopSnapshot;
  route: TopSnapshot;
}

/**
 * The `meshctl top` screen. Pausing freezes the data as of the moment `p` was pressed
 * (both groupings, so `g` still works); sorting, filtering and scrolling keep working on
 * the frozen rows. Keys are only read when stdin supports raw mode.
 */
export function TopScreen({source, targets, refreshMs = 250, now = Date.now, initial, onQuit}: TopScreenProps) {
  const {exit} = useApp();
  const {isRawModeSupported} = useStdin();
  const size = useTerminalSize();
  const [state, setState] = useState(() => initialScreenState(initial));
  const [live, setLive] = useState(() => source.snapshot(now(), state.byRoute));
  const [frozen, setFrozen] = useState<Frozen | null>(null);
  const limits = useRef<Limits>({pageRows: 1, totalRows: 0, columns: 0});

  useEffect(() => {
    if (!state.paused) {
      setFrozen(null);
      return;
    }
    const t = now();
    setFrozen({path: source.snapshot(t, false), route: source.snapshot(t, true)});
  }, [state.paused]);

  useEffect(() => {
    if (state.paused) return;
    const refresh = () => setLive(source.snapshot(now(), state.byRoute));
    refresh();
    const timer = setInterval(refresh, refreshMs);
    return () => clearInterval(timer);
  }, [state.paused, state.byRoute, source, refreshMs]);

  useEffect(() => {
    if (!state.quit) return;
    onQuit?.(state.interrupted);
    exit();
  }, [state.quit]);

  useInput((input, key) => setState((prev) => reduceKey(prev, input, key, limits.current)), {isActive: isRawModeSupported});

  const snapshot = frozen ? (state.byRoute ? frozen.route : frozen.path) : live;
  const rows = viewRows(snapshot.rows, {sortBy: state.sortBy, descending: state.descending, filter: activeFilter(state)});
  const specs = columnSpecs(state.byRoute, snapshot.mode !== 'metrics');
  const layout = layoutTable(specs, size.columns, state.columnOffset);
  const pageRows = Math.max(1, size.rows - CHROME_LINES);
  const rowOffset = Math.min(state.rowOffset, Math.max(0, rows.length - pageRows));
  limits.current = {pageRows, totalRows: rows.length, columns: specs.length};
  const visible = rows.slice(rowOffset, rowOffset + pageRows);

  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>meshctl top</Text>
        {` · ${TOP_MODE_LABELS[snapshot.mode]} · ${targetsText(targets)}`}
        {state.paused ? <Text inverse> PAUSED </Text> : null}
      </Text>
      <Text wrap="truncate">{statusLine(state, snapshot, rows.length, rowOffset, visible.length, layout)}</Text>
      <TopTable
        columns={layout.columns}
        rows={visible}
        sortBy={state.sortBy}
        descending={state.descending}
        emptyText={snapshot.rows.length === 0 ? '(no requests yet)' : '(no rows match the filter)'}
      />
      <Text wrap="truncate" dimColor>
        {legend(size.columns, isRawModeSupported)}
      </Text>
    </Box>
  );
}

function targetsText(targets: readonly string[]): string {
  const names = targets.map(sanitize);
  const shown = names.slice(0, 3).join(', ');
  const more = names.length > 3 ? ` +${names.length - 3}` : '';
  return `${targets.length} target${targets.length === 1 ? '' : 's'}: ${shown}${more}`;
}

function statusLine(
  state: ScreenState,
  snapshot: TopSnapshot,
  total: number,
  offset: number,
  shown: number,
  layout: ReturnType<typeof layoutTable>,
): string {
  const parts = [`sort: ${state.sortBy}${state.descending ? '↓' : '↑'}`];
  parts.push(total === 0 ? 'rows 0' : `rows ${offset + 1}-${offset + shown}/${total}`);
  if (layout.scrolledOff.length > 0) parts.push(`◀ ${layout.scrolledOff.length} cols`);
  if (layout.dropped.length > 0) parts.push(`${layout.dropped.length} hidden ▶`);
  if (state.filterDraft !== null) parts.push(`filter: ${sanitize(state.filterDraft)}▏ (Enter keep, Esc cancel)`);
  else if (state.filter !== '') parts.push(`filter: "${sanitize(state.filter)}"`);
  if (state.byRoute) parts.push('by route');
  if (snapshot.evictions > 0) parts.push(`evicted ${snapshot.evictions} (max ${snapshot.maxRows} rows)`);
  return parts.join(' · ');
}

function legend(width: number, keysWork: boolean): string {
  if (!keysWork) return 'keys unavailable (stdin is not a terminal); Ctrl-C quits';
  return legendFor(width);
}
