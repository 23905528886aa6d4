// How well the default-mode report says where each filtered probe is stopped, against the bench
// network's ground truth: every filtered probe is dropped by the firewall, so its right blockedBy
// is the firewall's client-facing address. Open and closed probes must not name a blocker at all.
//
// Per filtered probe (of the network design, whatever state the report gave it):
//   probed / inferred   localisation says so and blockedBy is a string: right when it is the firewall
//   unknown             blockedBy null or localisation 'unknown' (not wrong, but not located)
//   missing             no record, or no blockedBy at all
//   unlabelled          a blockedBy without a localisation label (the report contract wants one)
//   invalid             a localisation label outside probed/inferred/unknown (counted as wrong)
// The target is every blockedBy right, so anything but probed-right and inferred-right fails it.
import type { ExpectedState } from './bench-network.js';
import type { ProbeRecord } from './portflight-report.js';

const SHOWN_EXAMPLES = 8;

interface RightWrong {
  right: number;
  wrong: number;
}

const count = (bucket: RightWrong) => bucket.right + bucket.wrong;

export interface LocalisationTally {
  filtered: number;
  readonly probed: RightWrong;
  readonly inferred: RightWrong;
  readonly unlabelled: RightWrong;
  unknown: number;
  missing: number;
  invalid: number;
  /** Inferred records that do not say which sample they were inferred from. */
  inferredWithoutSource: number;
  /** Open or closed probes (by design) that carry a blockedBy. */
  blockedWhereOpenOrClosed: number;
  /** Wrong, missing and invalid records. */
  readonly examples: string[];
  readonly unlabelledExamples: string[];
  readonly unknownExamples: string[];
  readonly blockedExamples: string[];
}

const describe = (probe: ProbeRecord) =>
  [
    `state ${probe.state}`,
    probe.reason === undefined ? undefined : `reason ${probe.reason}`,
    `blockedBy ${probe.blockedBy === undefined ? '(absent)' : JSON.stringify(probe.blockedBy)}`,
    `localisation ${probe.localisation ?? '(absent)'}`,
    probe.inferredFrom === undefined ? undefined : `inferredFrom ${probe.inferredFrom}`,
    probe.blockedBetween === undefined ? undefined : `blockedBetween ${JSON.stringify(probe.blockedBetween)}`,
    probe.detail === undefined ? undefined : `detail "${probe.detail.slice(0, 200)}"`,
  ]
    .filter((part) => part !== undefined)
    .join(', ');

export function tallyLocalisation(
  expected: ReadonlyMap<string, ExpectedState>,
  probes: ReadonlyMap<string, ProbeRecord>,
  blocker: string,
): LocalisationTally {
  const tally: LocalisationTally = {
    filtered: 0,
    probed: { right: 0, wrong: 0 },
    inferred: { right: 0, wrong: 0 },
    unlabelled: { right: 0, wrong: 0 },
    unknown: 0,
    missing: 0,
    invalid: 0,
    inferredWithoutSource: 0,
    blockedWhereOpenOrClosed: 0,
    examples: [],
    unlabelledExamples: [],
    unknownExamples: [],
    blockedExamples: [],
  };
  const example = (list: string[], line: string) => {
    if (list.length < SHOWN_EXAMPLES) list.push(line);
  };
  for (const [key, state] of expected) {
    const probe = probes.get(key);
    if (state !== 'filtered') {
      if (probe?.blockedBy !== undefined && probe.blockedBy !== null) {
        tally.blockedWhereOpenOrClosed += 1;
        example(tally.blockedExamples, `${key} (${state} by design): ${describe(probe)}`);
      }
      continue;
    }
    tally.filtered += 1;
    if (probe === undefined) {
      tally.missing += 1;
      example(tally.examples, `${key}: missing from the report`);
      continue;
    }
    const { blockedBy, localisation } = probe;
    if (localisation === 'unknown' || blockedBy === null) {
      tally.unknown += 1;
      example(tally.unknownExamples, `${key}: unknown (${describe(probe)})`);
      continue;
    }
    if (blockedBy === undefined) {
      tally.missing += 1;
      example(tally.examples, `${key}: missing (${describe(probe)})`);
      continue;
    }
    const right = blockedBy === blocker;
    const bucket =
      localisation === 'probed'
        ? tally.probed
        : localisation === 'inferred'
          ? tally.inferred
          : localisation === undefined
            ? tally.unlabelled
            : undefined;
    if (bucket === undefined) {
      tally.invalid += 1;
      example(tally.examples, `${key}: invalid localisation label (${describe(probe)})`);
      continue;
    }
    if (bucket === tally.unlabelled && right)
      example(tally.unlabelledExamples, `${key}: no localisation label (${describe(probe)})`);
    if (right) bucket.right += 1;
    else {
      bucket.wrong += 1;
      example(tally.examples, `${key}: wrong, expected ${blocker} (${describe(probe)})`);
    }
    if (localisation === 'inferred' && probe.inferredFrom === undefined) tally.inferredWithoutSource += 1;
  }
  return tally;
}

/** Examples of what kept the tally from passing, and how many such records there are. */
export function failingExamples(tally: LocalisationTally): [string[], number] {
  const { probed, inferred, unlabelled } = tally;
  const total =
    probed.wrong + inferred.wrong + tally.invalid + tally.missing + tally.unknown + count(unlabelled);
  return [[...tally.examples, ...tally.unlabelledExamples, ...tally.unknownExamples], total];
}

export const wrongCount = (tally: LocalisationTally) =>
  tally.probed.wrong + tally.inferred.wrong + tally.unlabelled.wrong + tally.invalid;

/** e.g. `480 filtered — probed 8 (8 right), inferred 472 (472 right), unknown 0; wrong 0, missing 0` */
export function formatLocalisation(tally: LocalisationTally): string {
  const unlabelled = count(tally.unlabelled);
  return [
    `${tally.filtered} filtered — probed ${count(tally.probed)} (${tally.probed.right} right), `,
    `inferred ${count(tally.inferred)} (${tally.inferred.right} right`,
    tally.inferredWithoutSource > 0 ? `, ${tally.inferredWithoutSource} without inferredFrom` : '',
    `), unknown ${tally.unknown}; wrong ${wrongCount(tally)}, missing ${tally.missing}`,
    unlabelled > 0 ? `; without a localisation label ${unlabelled} (${tally.unlabelled.right} right)` : '',
    tally.invalid > 0 ? `; invalid label ${tally.invalid}` : '',
  ].join('');
}

/** Every filtered probe located, by probing or inference, at the right device. */
export const localisationOk = (tally: LocalisationTally) =>
  wrongCount(tally) === 0 && tally.unknown === 0 && tally.missing === 0 && count(tally.unlabelled) === 0;
