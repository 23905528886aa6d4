import {
  foldLabel,
  inputErrorAt,
  isDashesLine,
  parsePortNumber,
  splitLabelValue,
  outputLines,
  type LabelledValue,
  type TextLine,
} from './text-lines.js';
import { RowBudget } from './evidence-budget.js';
import type { UrlAclReservation } from './types.js';

/**
 * `netsh http show urlacl`: per reservation a `Reserved URL : <url>` line, then for each user
 * `User:`, `Listen: Yes|No`, `Delegate: Yes|No`, and one `SDDL:` line that the console may wrap onto
 * the next line (joined here). Labels are matched in English, French and German; in other languages
 * a line is recognised by its value: a URL, a yes/no word, an SDDL string, else a user name.
 */

type Field = 'url' | 'user' | 'listen' | 'delegate' | 'sddl';
type User = UrlAclReservation['users'][number];

/** Maps, not object literals: a `constructor :` line must not find Object.prototype's members. */
const FIELD_LABELS: ReadonlyMap<string, Field> = new Map([
  ['reserved url', 'url'],
  ['url reservee', 'url'],
  ['reservierte url', 'url'],
  ['user', 'user'],
  ['utilisateur', 'user'],
  ['benutzer', 'user'],
  ['listen', 'listen'],
  ['ecouter', 'listen'],
  ['abhoren', 'listen'],
  ['delegate', 'delegate'],
  ['deleguer', 'delegate'],
  ['delegieren', 'delegate'],
  ['sddl', 'sddl'],
]);

/** Yes/No as netsh prints them in a few languages; any other word reads as "not known" (null). */
const YES_NO: ReadonlyMap<string, boolean> = new Map([
  ['yes', true],
  ['oui', true],
  ['ja', true],
  ['si', true],
  ['sim', true],
  ['no', false],
  ['non', false],
  ['nein', false],
  ['nao', false],
]);

const URL_SHAPE = /^[a-z][a-z0-9+.-]*:\/\//i;
const SDDL_SHAPE = /^[DOGS]:[(A-Z]/;
/** The wrapped rest of an SDDL line: SDDL characters only, so a prompt such as `C:\>` is not taken. */
const SDDL_CONTINUATION = /^[\w;:()\-{}.,]+$/;

interface ReservationInProgress {
  readonly url: string;
  readonly parsed: Pick<UrlAclReservation, 'scheme' | 'host' | 'port' | 'path'>;
  readonly line: number;
  readonly users: { user: string; listen: boolean | null; delegate: boolean | null }[];
  sddl: string | null;
}

/** Parses `netsh http show urlacl` output (any language; see the module comment). */
export function parseNetshUrlacl(text: string, file: string): UrlAclReservation[] {
  const reservations: UrlAclReservation[] = [];
  let current: ReservationInProgress | null = null;
  /** True while the previous line was the SDDL or its continuation: a label-less line continues it. */
  let inSddl = false;
  let sawHeader = false;
  const budget = new RowBudget(file, 'URL reservations');

  const finish = (): void => {
    if (current === null) return;
    const { url, parsed, line, users, sddl } = current;
    budget.take(line);
    reservations.push({
      url,
      ...parsed,
      users: users.map((user): User => ({ ...user })),
      sddl,
      source: { file, line },
    });
    current = null;
  };

  for (const line of outputLines(text, file)) {
    const trimmed = line.text.trim();
    if (trimmed === '') {
      inSddl = false;
      continue;
    }
    if (isDashesLine(line.text)) {
      sawHeader = true;
      continue;
    }
    const pair = splitLabelValue(line);
    if (pair === null) {
      if (inSddl && current !== null && SDDL_CONTINUATION.test(trimmed))
        current.sddl = `${current.sddl ?? ''}${trimmed}`;
      else inSddl = false; // prompts and headers
      continue;
    }
    inSddl = false;
    const field = fieldOf(pair, current);
    if (field === 'url') {
      finish();
      current = startReservation(line, pair, file);
      continue;
    }
    if (current === null || field === null) continue; // text before the first reservation
    if (field === 'sddl') {
      current.sddl = pair.value;
      inSddl = true;
    } else if (field === 'user') {
      current.users.push({ user: pair.value, listen: null, delegate: null });
    } else {
      const user = current.users.at(-1);
      if (user === undefined) {
        throw inputErrorAt(
          file,
          line.number,
          pair.labelCol,
          `expected a 'User:' line before '${pair.label}'`,
        );
      }
      user[field] = YES_NO.get(foldLabel(pair.value)) ?? null;
    }
  }
  finish();
  if (!sawHeader && reservations.length === 0) {
    throw inputErrorAt(
      file,
      1,
      1,
      "expected the output of 'netsh http show urlacl' (a 'URL Reservations:' header and dashes, then 'Reserved URL' blocks)",
    );
  }
  return reservations;
}

/** The field of a line: by its label when known, else by the shape of its value. */
function fieldOf(pair: LabelledValue, current: ReservationInProgress | null): Field | null {
  const known = FIELD_LABELS.get(foldLabel(pair.label));
  if (known !== undefined) return known;
  if (URL_SHAPE.test(pair.value)) return 'url';
  if (current === null) return null;
  if (SDDL_SHAPE.test(pair.value)) return 'sddl';
  const user = current.users.at(-1);
  if (user !== undefined && pair.value !== '' && /^\S+$/.test(pair.value) && !/[\\@]/.test(pair.value)) {
    // A one-word value after a user is its Listen, then its Delegate answer.
    if (user.listen === null) return 'listen';
    if (user.delegate === null) return 'delegate';
  }
  return 'user';
}

function startReservation(line: TextLine, pair: LabelledValue, file: string): ReservationInProgress {
  const parsed = parseReservedUrl(pair.value);
  if (parsed === null) {
    throw inputErrorAt(
      file,
      line.number,
      pair.valueCol,
      `expected a reserved URL such as http://+:80/path/ after '${pair.label}', found '${pair.value}'`,
    );
  }
  return { url: pair.value, parsed, line: line.number, users: [], sddl: null };
}

/**
 * `scheme://host[:port]/path` with host `+`, `*`, a name, an IPv4 address or `[IPv6]`. http.sys
 * prefixes always carry the port, but a missing one means the scheme's default.
 */
function parseReservedUrl(url: string): Pick<UrlAclReservation, 'scheme' | 'host' | 'port' | 'path'> | null {
  const match = /^(https?):\/\/(\[[^\]/]*\]|[^:/\s]+)(?::([^/]*))?(\/.*)?$/i.exec(url);
  if (match === null) return null;
  const scheme = (match[1] ?? '').toLowerCase() === 'https' ? 'https' : 'http';
  const port = match[3] === undefined ? (scheme === 'https' ? 443 : 80) : parsePortNumber(match[3]);
  if (port === null) return null;
  return { scheme, host: match[2] ?? '', port, path: match[4] ?? '/' };
}
