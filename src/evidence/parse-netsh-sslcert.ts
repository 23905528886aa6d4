import {
  foldLabel,
  inputErrorAt,
  ipVersion,
  isDashesLine,
  parsePortNumber,
  splitLabelValue,
  outputLines,
  type LabelledValue,
  type TextLine,
} from './text-lines.js';
import { RowBudget } from './evidence-budget.js';
import type { SslCertBinding } from './types.js';

/**
 * `netsh http show sslcert`: blank-line separated blocks whose first line names the endpoint
 * (`IP:port`, `Hostname:port`, or a Central Certificate Store port), then `Certificate Hash`,
 * `Application ID`, `Certificate Store Name` and settings this parser does not need.
 *
 * netsh localizes the labels (French `Adresse IP:port`, `Hachage du certificat` …, seen in real
 * output). Known English, French and German labels are matched first; any other language falls back
 * to the fixed order of the first four lines of a block and to the shape of the values.
 */

type BindingKind = SslCertBinding['kind'];
type Field = 'hash' | 'appId' | 'store';

/** Maps, not object literals: a `constructor :` line must not find Object.prototype's members. */
const ENDPOINT_LABELS: ReadonlyMap<string, BindingKind> = new Map([
  ['ip:port', 'ipport'],
  ['adresse ip:port', 'ipport'],
  ['ip:porta', 'ipport'],
  ['hostname:port', 'hostnameport'],
  ["nom d'hote:port", 'hostnameport'],
  ['central certificate store', 'ccs'],
  ['magasin de certificats central', 'ccs'],
  ['zentraler zertifikatspeicher', 'ccs'],
]);

const FIELD_LABELS: ReadonlyMap<string, Field> = new Map([
  ['certificate hash', 'hash'],
  ['hachage du certificat', 'hash'],
  ['zertifikathash', 'hash'],
  ['application id', 'appId'],
  ["id de l'application", 'appId'],
  ['anwendungs-id', 'appId'],
  ['certificate store name', 'store'],
  ['nom du magasin de certificats', 'store'],
  ['name des zertifikatspeichers', 'store'],
]);

/** Without a known label, the line at this index of a block is taken for the field. */
const FIELD_BY_POSITION: readonly (Field | undefined)[] = [undefined, 'hash', 'appId', 'store'];

const NULL_VALUE = /^\(null\)$|^$/i;
const HEX_HASH = /^[0-9a-f]{32,128}$/i;
/** What people paste in place of a hash they hide: a certificate is bound, its hash is not known. (The
 * ellipsis is written \u2026: the bundle stays ASCII, scripts/build.mjs.) */
const HIDDEN_HASH =
  /^(?:[[(<]?(?:redacted|removed|hidden|censored|snip)[\])>]?|<[^<>]*>|x{4,}|\*{3,}|\.{3}|\u2026)$/i;
const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

interface BlockInProgress {
  readonly kind: BindingKind;
  readonly firstLabel: string;
  readonly endpoint: string | null;
  readonly port: number;
  readonly line: TextLine;
  fieldsSeen: number;
  certificateHash: string | null;
  applicationId: string | null;
  certificateStoreName: string | null;
  hasHash: boolean;
  hasAppId: boolean;
}

/** Parses `netsh http show sslcert` output (any language; see the module comment). */
export function parseNetshSslcert(text: string, file: string): SslCertBinding[] {
  const bindings: SslCertBinding[] = [];
  let block: BlockInProgress | null = null;
  let sawHeader = false;
  let lastLine = 0;
  const budget = new RowBudget(file, 'certificate bindings');

  const finish = (endLine: number): void => {
    if (block === null) return;
    if (block.kind !== 'ccs' && !(block.hasHash && block.hasAppId)) {
      const missing = block.hasHash ? 'Application ID' : 'Certificate Hash';
      throw inputErrorAt(
        file,
        endLine,
        1,
        `the binding for ${describeEndpoint(block)} (line ${block.line.number}) ends without its ${missing} line`,
      );
    }
    budget.take(block.line.number, block.line.offset + 1);
    bindings.push({
      kind: block.kind,
      endpoint: block.endpoint,
      port: block.port,
      certificateHash: block.certificateHash,
      applicationId: block.applicationId,
      certificateStoreName: block.certificateStoreName,
      source: { file, line: block.line.number },
    });
    block = null;
  };

  for (const line of outputLines(text, file)) {
    if (line.text === '') {
      // Lines come without their trailing blanks: this one was blank.
      finish(line.number);
      continue;
    }
    lastLine = line.number;
    if (isDashesLine(line.text)) {
      finish(line.number);
      sawHeader = true;
      continue;
    }
    const pair = splitLabelValue(line);
    if (pair === null) continue; // prompts, headers, `Extended Properties:` sub-headings
    const label = foldLabel(pair.label);
    const startsBlock =
      block === null
        ? sawHeader || ENDPOINT_LABELS.has(label)
        : ENDPOINT_LABELS.has(label) || label === block.firstLabel;
    if (startsBlock) {
      finish(line.number);
      block = startBlock(line, pair, label, file);
      continue;
    }
    if (block !== null) readField(block, pair, label, line, file);
  }
  finish(lastLine + 1);
  if (!sawHeader && bindings.length === 0) {
    throw inputErrorAt(
      file,
      1,
      1,
      "expected the output of 'netsh http show sslcert' (a 'SSL Certificate bindings:' header and dashes, then IP:port blocks)",
    );
  }
  return bindings;
}

function startBlock(line: TextLine, pair: LabelledValue, label: string, file: string): BlockInProgress {
  const endpoint = parseEndpoint(pair.value, ENDPOINT_LABELS.get(label));
  if (endpoint === null) {
    throw inputErrorAt(
      file,
      line.number,
      pair.valueCol,
      `expected an endpoint such as 0.0.0.0:443, [::]:443 or host.example:443 after '${pair.label}', found '${pair.value}'`,
    );
  }
  return {
    kind: endpoint.kind,
    endpoint: endpoint.endpoint,
    port: endpoint.port,
    firstLabel: label,
    line,
    fieldsSeen: 0,
    certificateHash: null,
    applicationId: null,
    certificateStoreName: null,
    hasHash: false,
    hasAppId: false,
  };
}

/**
 * `0.0.0.0:443`, `[::]:443`, `10.1.2.3:443` (ipport), `host:443` (hostnameport), or a bare port
 * (a Central Certificate Store entry). The label decides when it is known, else the value's shape.
 */
function parseEndpoint(
  value: string,
  labelled: BindingKind | undefined,
): { kind: BindingKind; endpoint: string | null; port: number } | null {
  const barePort = parsePortNumber(value);
  if (barePort !== null) return labelled === undefined || labelled === 'ccs' ? ccs(barePort) : null;
  const match = /^(\[[0-9a-f:.%]+\]|[^\s:[\]]+):(\d{1,5})$/i.exec(value);
  const port = parsePortNumber(match?.[2] ?? '');
  if (match === null || port === null) return null;
  const host = match[1] ?? '';
  if (labelled === 'ccs') return ccs(port);
  const isAddress = host.startsWith('[')
    ? ipVersion(host.slice(1, -1).split('%')[0] ?? '') === 6
    : ipVersion(host) === 4;
  const kind = labelled ?? (isAddress ? 'ipport' : 'hostnameport');
  if (kind === 'ipport' && !isAddress) return null;
  return { kind, endpoint: host, port };
}

function ccs(port: number): { kind: BindingKind; endpoint: null; port: number } {
  return { kind: 'ccs', endpoint: null, port };
}

function readField(
  block: BlockInProgress,
  pair: LabelledValue,
  label: string,
  line: TextLine,
  file: string,
): void {
  block.fieldsSeen += 1;
  const field =
    FIELD_LABELS.get(label) ?? (isKnownLabel(label) ? undefined : FIELD_BY_POSITION[block.fieldsSeen]);
  const value = pair.value;
  const fail = (expected: string): never => {
    throw inputErrorAt(
      file,
      line.number,
      pair.valueCol,
      `expected ${expected} after '${pair.label}', found '${value}'`,
    );
  };
  if (field === undefined) return;
  if (field === 'hash') {
    const hidden = NULL_VALUE.test(value) || HIDDEN_HASH.test(value);
    if (!hidden && !HEX_HASH.test(value)) fail('a certificate hash (hexadecimal) or (null)');
    block.certificateHash = hidden ? null : value.toLowerCase();
    block.hasHash = true;
  } else if (field === 'appId') {
    if (!NULL_VALUE.test(value) && !GUID.test(value))
      fail('an application ID such as {4dc3e181-e14b-4a21-b022-59fc669b0914}');
    block.applicationId = NULL_VALUE.test(value) ? null : normalizeGuid(value);
    block.hasAppId = true;
  } else if (field === 'store') {
    block.certificateStoreName = NULL_VALUE.test(value) ? null : value;
  }
}

/** Other English labels of a block: never taken for a field by position. */
function isKnownLabel(label: string): boolean {
  return /^(verify|usage check|revocation|url retrieval|ctl |ds mapper|negotiate|reject|disable|enable|log |propertyid)/.test(
    label,
  );
}

/** GUIDs compare as lower case in braces, the way netsh prints them. */
function normalizeGuid(value: string): string {
  const bare = value.replace(/^\{|\}$/g, '').toLowerCase();
  return `{${bare}}`;
}

function describeEndpoint(block: BlockInProgress): string {
  return block.endpoint === null ? `port ${block.port}` : `${block.endpoint}:${block.port}`;
}
