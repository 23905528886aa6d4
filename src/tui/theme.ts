import { PROBE_MARKS, SEVERITY_MARKS, VERDICT_MARKS, type Mark } from '../report/marks.js';
import type { Severity } from '../rules/types.js';
import type { Verdict } from '../verdict/compute-verdict.js';

/** What a matrix cell shows: a probe state, or where the probe is in its life. */
export type CellKind =
  | 'pending'
  | 'in-flight'
  | 'open'
  | 'closed'
  | 'filtered'
  | 'blocked-by-hop'
  | 'open|filtered'
  | 'error'
  | 'aborted'
  | 'not-probed';

/** Ink colour names; undefined means the terminal's default (and is all we use under NO_COLOR). */
export type Colour = 'green' | 'cyan' | 'red' | 'yellow' | 'magenta' | 'gray' | 'white' | 'blue';

export interface Style {
  readonly symbol: string;
  readonly colour: Colour | undefined;
  readonly label: string;
}

const CELL_COLOURS: Readonly<Record<CellKind, Colour | undefined>> = {
  pending: 'gray',
  'in-flight': 'white',
  open: 'green',
  closed: 'cyan',
  filtered: 'red',
  'blocked-by-hop': 'red',
  'open|filtered': 'yellow',
  error: 'magenta',
  aborted: 'gray',
  'not-probed': undefined,
};

/** Finished states take their symbol and word from report/marks.ts, which the report formats share. */
const CELL_MARKS: Readonly<Record<CellKind, Mark>> = {
  pending: { symbol: '·', label: 'waiting' },
  'in-flight': { symbol: '…', label: 'in flight' },
  ...PROBE_MARKS,
};

const VERDICT_COLOURS: Readonly<Record<Verdict, Colour>> = {
  go: 'green',
  conditional: 'yellow',
  'no-go': 'red',
  incomplete: 'magenta',
};

const SEVERITY_COLOURS: Readonly<Record<Severity, Colour>> = {
  'no-go': 'red',
  incomplete: 'magenta',
  condition: 'yellow',
  info: 'blue',
};

/** Every colour and symbol the screen uses, so NO_COLOR is decided in one place. */
export interface Theme {
  readonly colour: boolean;
  cell(kind: CellKind): Style;
  verdict(verdict: Verdict): Style;
  severity(severity: Severity): Style;
  /** Accent for titles, the cursor and dialogs. */
  readonly accent: Colour | undefined;
  readonly muted: Colour | undefined;
}

function withoutColour(style: Style): Style {
  return { ...style, colour: undefined };
}

/** The theme; without colour every symbol stays, so state is readable on any terminal. */
export function createTheme(options: { readonly colour: boolean }): Theme {
  const pick = (style: Style) => (options.colour ? style : withoutColour(style));
  return {
    colour: options.colour,
    cell: (kind) => pick({ ...CELL_MARKS[kind], colour: CELL_COLOURS[kind] }),
    verdict: (verdict) => pick({ ...VERDICT_MARKS[verdict], colour: VERDICT_COLOURS[verdict] }),
    severity: (severity) => pick({ ...SEVERITY_MARKS[severity], colour: SEVERITY_COLOURS[severity] }),
    accent: options.colour ? 'cyan' : undefined,
    muted: options.colour ? 'gray' : undefined,
  };
}

/** https://no-color.org: present and not empty disables colour. */
export function colourWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env.NO_COLOR;
  return noColor === undefined || noColor === '';
}
