import { PORT_ROLES } from '../shared/port-vocabulary.js';
import { pushTo } from '../shared/push-to.js';
import type { ReportProbe } from './model.js';
import { isHop, PROBE_MARK_ORDER, PROBE_MARKS, probeMarkKind, type ProbeMarkKind } from './marks.js';
import type { Block, Span, Spans, Tone } from './ticket-document.js';
import { compareText } from '../shared/text-order.js';

/** Rows with the same states on every port are one row from this many addresses on. */
const GROUP_FROM = 3;
/** Addresses a grouped row names before "and N more". */
const NAMED_IN_GROUP = 4;

const TONE_OF: Readonly<Record<ProbeMarkKind, Tone>> = {
  open: 'good',
  closed: 'info',
  filtered: 'bad',
  'blocked-by-hop': 'bad',
  'open|filtered': 'warn',
  error: 'warn',
  aborted: 'muted',
  'not-probed': 'muted',
};

export function markSpan(kind: ProbeMarkKind): Span {
  return { mark: PROBE_MARKS[kind].symbol, tone: TONE_OF[kind] };
}

interface Column {
  readonly key: string;
  readonly protocol: string;
  readonly port: number;
  readonly role: string;
}

/**
 * The targets × ports matrix: one column per (protocol, port), one row per probed address; addresses
 * whose every port is in the same state are one row ("196 addresses: all open"), so a large estate
 * reads as its exceptions.
 */
export function portMatrixBlocks(probes: readonly ReportProbe[]): Block[] {
  if (probes.length === 0) return [{ kind: 'paragraph', spans: ['No probe was sent.'] }];
  const columns = columnsOf(probes);
  const rows = new Map<string, { label: string; cells: Map<string, ProbeMarkKind> }>();
  for (const probe of probes) {
    const rowKey = `${probe.target}\u0000${probe.address ?? ''}`;
    const row = rows.get(rowKey) ?? { label: rowLabel(probe), cells: new Map<string, ProbeMarkKind>() };
    row.cells.set(`${probe.protocol}/${probe.port}`, probeMarkKind(probe));
    rows.set(rowKey, row);
  }
  const groups = new Map<string, { labels: string[]; kinds: ProbeMarkKind[] }>();
  for (const row of rows.values()) {
    const kinds = columns.map((column) => row.cells.get(column.key) ?? 'not-probed');
    const signature = kinds.join(',');
    const group = groups.get(signature) ?? { labels: [], kinds };
    group.labels.push(row.label);
    groups.set(signature, group);
  }
  const tableRows = [...groups.values()].flatMap((group) =>
    group.labels.length >= GROUP_FROM
      ? [[[groupLabel(group.labels, group.kinds)], ...group.kinds.map((kind) => cell(kind))]]
      : group.labels.map((label) => [[label], ...group.kinds.map((kind) => cell(kind))]),
  );
  return [
    { kind: 'paragraph', spans: legend() },
    {
      kind: 'table',
      header: [
        'Target (address)',
        ...columns.map((column) => `${column.protocol}/${column.port}\n${column.role}`),
      ],
      rows: tableRows,
    },
  ];
}

function cell(kind: ProbeMarkKind): Spans {
  return kind === 'not-probed' ? [] : [markSpan(kind)];
}

function legend(): Spans {
  const kinds = PROBE_MARK_ORDER;
  return [
    'Legend: ',
    ...kinds.flatMap((kind, index) => [
      ...(index === 0 ? [] : [' · ']),
      markSpan(kind),
      ` ${PROBE_MARKS[kind].label}`,
    ]),
    ' · blank: not probed on this target.',
  ];
}

function groupLabel(labels: readonly string[], kinds: readonly ProbeMarkKind[]): string {
  const probed = kinds.filter((kind) => kind !== 'not-probed');
  const uniform = probed.length > 0 && probed.every((kind) => kind === probed[0]);
  const named = labels.slice(0, NAMED_IN_GROUP).join(', ');
  const more = labels.length > NAMED_IN_GROUP ? ` and ${labels.length - NAMED_IN_GROUP} more` : '';
  const state = uniform ? `: all ${PROBE_MARKS[probed[0] as ProbeMarkKind].label}` : '';
  return `${labels.length} addresses${state} (${named}${more})`;
}

function rowLabel(probe: ReportProbe): string {
  if (probe.address === null) return `${probe.target} (unresolved)`;
  return probe.address === probe.target ? probe.target : `${probe.target} (${probe.address})`;
}

function columnsOf(probes: readonly ReportProbe[]): Column[] {
  const columns = new Map<string, Column>();
  for (const probe of probes) {
    const key = `${probe.protocol}/${probe.port}`;
    const known = columns.get(key);
    // A port serves several roles on different targets: the column shows the most important one.
    if (!known || PORT_ROLES.indexOf(probe.role) < PORT_ROLES.indexOf(known.role as never))
      columns.set(key, { key, protocol: probe.protocol, port: probe.port, role: probe.role });
  }
  return [...columns.values()].sort((a, b) => compareText(a.protocol, b.protocol) || a.port - b.port);
}

/**
 * For each port that did not get through: where it stopped. Probes stopped at the same place on the
 * same path are one row (path localisation infers most of them from a probed sample).
 */
export function blockedPathBlocks(probes: readonly ReportProbe[]): Block[] {
  const stopped = probes.filter((probe) => probe.state === 'filtered');
  if (stopped.length === 0) return [{ kind: 'paragraph', spans: ['Every probed port reached its host.'] }];
  const groups = new Map<string, ReportProbe[]>();
  for (const probe of stopped) {
    const path = (probe.path ?? []).map((hop) => hop.address ?? '*').join(' ');
    const key = [
      probe.protocol,
      probe.port,
      probe.blockedBy ?? '',
      probe.blockedBetween?.join(' ') ?? '',
      path,
    ].join('|');
    pushTo(groups, key, probe);
  }
  const rows = [...groups.values()].map((group) => {
    const first = group[0] as ReportProbe;
    const destinations = group.map((probe) => probe.address ?? probe.target);
    const named = destinations.slice(0, NAMED_IN_GROUP).join(', ');
    const more =
      destinations.length > NAMED_IN_GROUP ? ` and ${destinations.length - NAMED_IN_GROUP} more` : '';
    return [
      [`${first.protocol.toUpperCase()} ${first.port} (${first.role})`],
      [`${destinations.length === 1 ? '' : `${destinations.length}: `}${named}${more}`],
      [`${first.reason}`],
      pathSpans(first),
      [localisationText(group)],
    ];
  });
  return [
    {
      kind: 'paragraph',
      spans: [
        markSpan('blocked-by-hop'),
        ' marks the device that stops the probe; ',
        markSpan('filtered'),
        ' silence or a refusal with no device named.',
      ],
    },
    {
      kind: 'table',
      header: ['Port', 'Destinations', 'Reason', 'Path (blocking device marked)', 'Localised'],
      rows,
    },
  ];
}

function pathSpans(probe: ReportProbe): Spans {
  const destination = probe.address ?? probe.target;
  if (probe.path === undefined && probe.blockedBy === undefined)
    return ['not localised (path probing did not run)'];
  const hops: Span[][] = (probe.path ?? []).map((hop) => {
    const name = hop.address ?? '*';
    return isHop(probe.blockedBy) && hop.address === probe.blockedBy
      ? [markSpan('blocked-by-hop'), { strong: ` ${name}` }]
      : [`${hop.ttl} ${name}`];
  });
  const [a, b] = probe.blockedBetween ?? [];
  if (probe.blockedBy === null && a !== undefined)
    hops.push([markSpan('blocked-by-hop'), { strong: ` between ${a} and ${b}` }]);
  if (isHop(probe.blockedBy) && !(probe.path ?? []).some((hop) => hop.address === probe.blockedBy))
    hops.push([markSpan('blocked-by-hop'), { strong: ` ${probe.blockedBy}` }]);
  hops.push(
    probe.blockedBy === 'destination'
      ? [markSpan('blocked-by-hop'), { strong: ` ${destination} (its own firewall)` }]
      : [markSpan('filtered'), ` ${destination}`],
  );
  if (probe.blockedBy === null && a === undefined) hops.push([' (the blocking device could not be told)']);
  return hops.flatMap((hop, index) => (index === 0 ? hop : [' → ', ...hop]));
}

function localisationText(group: readonly ReportProbe[]): string {
  const count = (what: string) => group.filter((probe) => probe.localisation === what).length;
  const parts = [
    ['probed', count('probed')],
    ['inferred', count('inferred')],
    ['unknown', count('unknown')],
  ].filter(([, n]) => (n as number) > 0);
  return parts.length === 0 ? '—' : parts.map(([what, n]) => `${n} ${what}`).join(', ');
}
