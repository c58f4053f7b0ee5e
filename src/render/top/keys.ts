import {cycleColumn, DEFAULT_TOP_VIEW, type TopColumn} from '../../views/top-sort.js';

/**
 * Everything the user can change on the top screen, and how each key changes it. Kept
 * apart from the component so the key map reads as one table and can be tested alone.
 */
export interface ScreenState {
  sortBy: TopColumn;
  descending: boolean;
  filter: string;
  /** Text being typed after `/`; null when not in filter input mode. */
  filterDraft: string | null;
  paused: boolean;
  byRoute: boolean;
  /** First table row shown (vertical scroll). */
  rowOffset: number;
  /** Columns scrolled off to the left (horizontal scroll). */
  columnOffset: number;
  quit: boolean;
  /** The quit came from Ctrl-C (exit 130), not from `q`. */
  interrupted: boolean;
}

export function initialScreenState(partial: Partial<ScreenState> = {}): ScreenState {
  return {
    sortBy: DEFAULT_TOP_VIEW.sortBy,
    descending: DEFAULT_TOP_VIEW.descending,
    filter: '',
    filterDraft: null,
    paused: false,
    byRoute: false,
    rowOffset: 0,
    columnOffset: 0,
    quit: false,
    interrupted: false,
    ...partial,
  };
}

/** The parts of ink's `Key` the screen reacts to. */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export interface Limits {
  /** How many rows fit on screen, and how many there are. */
  pageRows: number;
  totalRows: number;
  columns: number;
}

export const LEGEND_WIDE =
  'q quit  s/S sort column  r reverse  p pause  / filter  g group by route  ↑/↓ rows  ←/→ columns';
export const LEGEND_NARROW = 'q quit s/S sort r rev p pause / filter g route ↑↓ ←→';
export const LEGEND_TINY = 'keys: q s/S r p / g ↑↓ ←→ (see --help)';

/** The longest legend that fits the width (the tiny one is cut if even it does not). */
export function legendFor(width: number): string {
  return [LEGEND_WIDE, LEGEND_NARROW].find((legend) => [...legend].length <= width) ?? LEGEND_TINY;
}

export function reduceKey(state: ScreenState, input: string, key: KeyInfo, limits: Limits): ScreenState {
  if (key.ctrl && input === 'c') return {...state, quit: true, interrupted: true};
  if (state.filterDraft !== null) return reduceFilterInput(state, input, key);
  const maxRow = Math.max(0, limits.totalRows - limits.pageRows);
  if (key.upArrow) return {...state, rowOffset: Math.max(0, Math.min(state.rowOffset, maxRow) - 1)};
  if (key.downArrow) return {...state, rowOffset: Math.min(maxRow, state.rowOffset + 1)};
  if (key.pageUp) return {...state, rowOffset: Math.max(0, Math.min(state.rowOffset, maxRow) - limits.pageRows)};
  if (key.pageDown) return {...state, rowOffset: Math.min(maxRow, state.rowOffset + limits.pageRows)};
  if (key.home) return {...state, rowOffset: 0};
  if (key.end) return {...state, rowOffset: maxRow};
  if (key.leftArrow || input === 'a') return {...state, columnOffset: Math.max(0, state.columnOffset - 1)};
  if (key.rightArrow || input === 'd') {
    return {...state, columnOffset: Math.min(Math.max(0, limits.columns - 1), state.columnOffset + 1)};
  }
  switch (input) {
    case 'q':
      return {...state, quit: true};
    case 's':
      return {...state, sortBy: cycleColumn(state.sortBy, 1)};
    case 'S':
      return {...state, sortBy: cycleColumn(state.sortBy, -1)};
    case 'r':
      return {...state, descending: !state.descending};
    case 'p':
    case ' ':
      return {...state, paused: !state.paused};
    case 'g':
      return {...state, byRoute: !state.byRoute, rowOffset: 0, columnOffset: 0};
    case '/':
      return {...state, filterDraft: state.filter};
    default:
      return state;
  }
}

/** While typing a filter: it applies as typed; Enter keeps it, Esc restores the previous one. */
function reduceFilterInput(state: ScreenState, input: string, key: KeyInfo): ScreenState {
  const draft = state.filterDraft ?? '';
  if (key.return) return {...state, filter: draft, filterDraft: null, rowOffset: 0};
  if (key.escape) return {...state, filterDraft: null};
  if (key.backspace || key.delete) return {...state, filterDraft: [...draft].slice(0, -1).join('')};
  if (key.ctrl || key.meta || input === '' || /[\u0000-\u001f\u007f]/.test(input)) return state;
  return {...state, filterDraft: draft + input, rowOffset: 0};
}

/** The filter in effect: the draft while typing, else the applied one. */
export function activeFilter(state: ScreenState): string {
  return state.filterDraft ?? state.filter;
}
