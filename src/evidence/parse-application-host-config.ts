import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../shared/errors.js';
import { parseBindingInformation, parseSslFlags } from './iis-binding-information.js';
import { decodeXmlReferences, inputErrorAt, refuseDtd } from './iis-xml-text.js';
import { LineIndex } from '../shared/line-index.js';
import { MAX_EVIDENCE_ROWS, tooManyRowsError } from './evidence-budget.js';
import type {
  ApplicationHostConfig,
  IisApplication,
  IisBinding,
  IisSite,
  IisVirtualDirectory,
} from './types.js';

/**
 * One element as fast-xml-parser's `preserveOrder` mode gives it: `{ [tagName]: children, ':@': attributes }`,
 * plus, with `captureMetaData`, the offset of its start tag under a symbol. Order is kept because it
 * matters: a `<clear/>` drops the bindings before it (and those inherited from `<siteDefaults>`).
 */
type OrderedElement = Record<string, unknown>;

const ATTRIBUTES_KEY = ':@';
const UNRELATED_SECTIONS = [
  'configuration.configSections',
  'configuration.configProtectedData',
  'configuration.system.webServer',
  'configuration.location',
  'configuration.system.applicationHost.applicationPools',
  'configuration.system.applicationHost.log',
];
const METADATA = XMLParser.getMetaDataSymbol();

/** What each element needs for messages and sources: its attributes and where its start tag is. */
interface ElementView {
  readonly tag: string;
  /** Elements and text nodes, unfiltered: see isElement. */
  readonly children: readonly unknown[];
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly offset: number;
}

interface ReadContext {
  readonly file: string;
  readonly lines: LineIndex;
}

/**
 * Reads the IIS sites of an applicationHost.config (or an IIS Express applicationhost.config, or a
 * bare `<sites>` fragment): names, ids, bindings split into address, port and host, applications.
 * Pure; refuses DTDs and entity declarations, and reports malformed XML as an InputError at the
 * line and column where it goes wrong.
 */
export function parseApplicationHostConfig(text: string, file: string): ApplicationHostConfig {
  // A UTF-8 BOM is invisible in editors: dropping it keeps reported columns as they see them.
  // Line ends become LF up front, as XML itself normalises them: lines and columns stay those of
  // the original, and the parser no longer maps each CRLF back (~20% of its time on a CRLF file).
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const context: ReadContext = {
    file,
    lines: new LineIndex(body),
  };
  if (!/\S/.test(body)) {
    throw inputErrorAt(file, context.lines, 0, 'empty file: expected an applicationHost.config (XML)');
  }
  refuseDtd(body, file, context.lines);
  refuseTooManyElements(body, context);
  const validation = XMLValidator.validate(body);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    const message = `malformed XML: ${msg.replace(/\s+/g, ' ')}`;
    throw new InputError([{ position: { file, line: line || 1, col: col || 1 }, message }]);
  }
  const roots = parseOrderedXml(body, context);
  return { file, sites: readSitesSections(roots, context).flatMap((sites) => readSites(sites, context)) };
}

/**
 * The row budget of an XML file is its elements, counted before either XML pass: the validator and
 * the parser spend their time per element (an element costs the parser a few objects), so the count
 * bounds both. A start tag is `<` and a name; comments, CDATA and declarations (`<!`, `<?`) are not.
 */
function refuseTooManyElements(body: string, context: ReadContext): void {
  let elements = 0;
  for (let at = body.indexOf('<'); at >= 0; at = body.indexOf('<', at + 1)) {
    const next = body.charCodeAt(at + 1);
    if (next === 0x21) {
      // `<!--` and `<![CDATA[` hold text, whatever it looks like: skipped to their end.
      const end = body.startsWith('<!--', at) ? '-->' : body.startsWith('<![CDATA[', at) ? ']]>' : null;
      // An unclosed one is the validator's to report.
      if (end !== null) at = Math.max(at, body.indexOf(end, at) - 1);
      continue;
    }
    if (next === 0x2f || next === 0x3f || Number.isNaN(next)) continue; // `</`, `<?`, a `<` at the end
    elements += 1;
    if (elements > MAX_EVIDENCE_ROWS) {
      const { line, col } = context.lines.position(at);
      throw tooManyRowsError(context.file, line, col, 'XML elements');
    }
  }
}

function parseOrderedXml(body: string, context: ReadContext): OrderedElement[] {
  const parser = new XMLParser({
    preserveOrder: true,
    captureMetaData: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    // Off: no parser-side expansion of anything; the five XML entities are decoded per value below.
    processEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // No callbacks use paths: skipping the per-element path strings saves ~10% on large files.
    jPath: false,
    // The bulk of a real applicationHost.config (section schema, modules, handlers, per-path
    // <location> overrides) says nothing about sites: kept as unparsed text, it costs no objects.
    stopNodes: UNRELATED_SECTIONS,
  });
  try {
    const parsed: unknown = parser.parse(body);
    return Array.isArray(parsed) ? parsed.filter(isElement) : [];
  } catch (error) {
    // The validator passed, so this is a parser limit (nesting depth …): still the input's fault.
    const reason = error instanceof Error ? error.message : String(error);
    throw inputErrorAt(context.file, context.lines, 0, `XML could not be read: ${reason.split('\n')[0]}`);
  }
}

/**
 * The `<sites>` elements: under configuration/system.applicationHost, or at the root of a fragment
 * (`<system.applicationHost>` or `<sites>` alone, as in hand-trimmed copies).
 */
function readSitesSections(roots: readonly OrderedElement[], context: ReadContext): ElementView[] {
  const sections: ElementView[] = [];
  let sawApplicationHost = false;
  const visitApplicationHost = (element: ElementView) => {
    sawApplicationHost = true;
    sections.push(...childViews(element, 'sites', context));
  };
  for (const root of roots) {
    const view = viewOf(root, context);
    refuseNonConfigRoot(view, context);
    if (view.tag === 'configuration') {
      childViews(view, 'system.applicationHost', context).forEach(visitApplicationHost);
    } else if (view.tag === 'system.applicationHost') visitApplicationHost(view);
    else if (view.tag === 'sites') sections.push(view);
  }
  if (!sawApplicationHost && sections.length === 0) {
    const firstOffset = roots[0] === undefined ? 0 : viewOf(roots[0], context).offset;
    throw inputErrorAt(
      context.file,
      context.lines,
      firstOffset,
      'not an applicationHost.config: no configuration/system.applicationHost/sites element',
    );
  }
  return sections;
}

/**
 * Files that carry the name but are not a configuration, refused before anything is read from them:
 * an XDT transform (Azure App Service's applicationHost.xdt, its `xdt:` attributes are edits to apply
 * to some other file) and a bare `<site>` copied out of a config (without `<sites>`, the other sites
 * and `<siteDefaults>` are unknown, so no conflict could be ruled out).
 */
function refuseNonConfigRoot(root: ElementView, context: ReadContext): void {
  if (Object.keys(root.attributes).some((name) => name === 'xmlns:xdt')) {
    throw problemAt(
      root,
      'an XDT transform (xmlns:xdt), not an applicationHost.config: its edits apply to another file',
      context,
    );
  }
  if (root.tag === 'site') {
    throw problemAt(
      root,
      'a bare <site> element, not an applicationHost.config: without <sites>, the other sites and <siteDefaults> are unknown',
      context,
    );
  }
}

function readSites(sites: ElementView, context: ReadContext): IisSite[] {
  // <siteDefaults> usually comes after the sites in real files, but its bindings apply to all of them.
  let defaultBindings: IisBinding[] = [];
  for (const defaults of childViews(sites, 'siteDefaults', context)) {
    for (const collection of childViews(defaults, 'bindings', context)) {
      defaultBindings = readBindings(collection, defaultBindings, context);
    }
  }
  return childViews(sites, 'site', context).map((site) => readSite(site, defaultBindings, context));
}

function readSite(site: ElementView, defaultBindings: readonly IisBinding[], context: ReadContext): IisSite {
  const name = requiredAttribute(site, 'name', context);
  const idText = optionalAttribute(site, 'id', context);
  if (idText !== null && !/^\s*[0-9]{1,10}\s*$/.test(idText)) {
    throw problemAt(site, `site "${name}": id "${idText}" is not a number`, context);
  }
  const serverAutoStart = readBoolean(site, 'serverAutoStart', context);
  // One pass over the site's children (applications, bindings, logFile …): sites are the bulk.
  const applications: IisApplication[] = [];
  let bindings = [...defaultBindings];
  for (const child of site.children) {
    if (!isElement(child)) continue;
    if (Object.hasOwn(child, 'application')) {
      applications.push(readApplication(viewOf(child, context), context));
    } else if (Object.hasOwn(child, 'bindings')) {
      bindings = readBindings(viewOf(child, context), bindings, context);
    }
  }
  return {
    name,
    id: idText === null ? null : Number(idText),
    serverAutoStart,
    bindings,
    applications,
    source: sourceOf(site, context),
  };
}

/**
 * Adds a `<bindings>` collection to the bindings a site has so far (those inherited from
 * `<siteDefaults>` come first, as IIS merges collections); `<clear/>` drops everything before it
 * (IIS docs, sites/site/bindings).
 */
function readBindings(
  collection: ElementView,
  before: readonly IisBinding[],
  context: ReadContext,
): IisBinding[] {
  let bindings = [...before];
  for (const child of collection.children) {
    if (!isElement(child)) continue;
    const view = viewOf(child, context);
    if (view.tag === 'clear') bindings = [];
    else if (view.tag === 'binding') bindings.push(readBinding(view, context));
  }
  return bindings;
}

function readBinding(binding: ElementView, context: ReadContext): IisBinding {
  const protocol = requiredAttribute(binding, 'protocol', context).trim().toLowerCase();
  const bindingInformation = requiredAttribute(binding, 'bindingInformation', context);
  const parsed = parseBindingInformation(protocol, bindingInformation);
  if ('problem' in parsed) throw problemAt(binding, `${protocol} binding: ${parsed.problem}`, context);
  const sslFlags = parseSslFlags(optionalAttribute(binding, 'sslFlags', context) ?? undefined);
  if ('problem' in sslFlags) throw problemAt(binding, sslFlags.problem, context);
  const { ip, port, host } = parsed.endpoint;
  return {
    protocol,
    bindingInformation,
    ip,
    port,
    host,
    sslFlags: sslFlags.flags,
    source: sourceOf(binding, context),
  };
}

function readApplication(application: ElementView, context: ReadContext): IisApplication {
  const virtualDirectories: IisVirtualDirectory[] = childViews(application, 'virtualDirectory', context).map(
    (directory) => ({
      path: requiredAttribute(directory, 'path', context),
      physicalPath: optionalAttribute(directory, 'physicalPath', context),
    }),
  );
  return {
    path: requiredAttribute(application, 'path', context),
    // As written: null means "from <applicationDefaults>", which rules can look up if they need it.
    applicationPool: optionalAttribute(application, 'applicationPool', context),
    virtualDirectories,
    source: sourceOf(application, context),
  };
}

function readBoolean(element: ElementView, name: string, context: ReadContext): boolean | null {
  const text = optionalAttribute(element, name, context);
  if (text === null) return null;
  const normalized = text.trim().toLowerCase();
  if (normalized === 'true') return true;
  if (normalized === 'false') return false;
  throw problemAt(element, `${name} "${text}" is not true or false`, context);
}

function requiredAttribute(element: ElementView, name: string, context: ReadContext): string {
  const value = optionalAttribute(element, name, context);
  if (value === null) throw problemAt(element, `<${element.tag}> has no ${name} attribute`, context);
  return value;
}

function optionalAttribute(element: ElementView, name: string, context: ReadContext): string | null {
  const raw = Object.hasOwn(element.attributes, name) ? element.attributes[name] : undefined;
  if (typeof raw !== 'string') return null;
  const decoded = decodeXmlReferences(raw);
  if ('problem' in decoded) throw problemAt(element, `${name}: ${decoded.problem}`, context);
  return decoded.value;
}

function childViews(parent: ElementView, tag: string, context: ReadContext): ElementView[] {
  const views: ElementView[] = [];
  for (const child of parent.children) {
    if (isElement(child) && Object.hasOwn(child, tag)) views.push(viewOf(child, context));
  }
  return views;
}

/** Light on purpose: it runs for every element of `<sites>` (~60,000 in the bench file). */
function viewOf(element: OrderedElement, context: ReadContext): ElementView {
  let tag = '';
  for (const key in element) {
    if (key !== ATTRIBUTES_KEY) {
      tag = key;
      break;
    }
  }
  const children = element[tag];
  const attributes = element[ATTRIBUTES_KEY];
  const metadata = (element as Record<symbol, { startIndex?: number } | undefined>)[METADATA as symbol];
  if (metadata?.startIndex === undefined) {
    // captureMetaData is on, so every element has its offset; a miss means the library changed.
    throw new Error(`fast-xml-parser gave no position for <${tag}> in ${context.file}`);
  }
  return {
    tag,
    children: Array.isArray(children) ? children : [],
    // With parseAttributeValue off every value is a string; optionalAttribute checks each one read.
    attributes:
      typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, unknown>) : {},
    offset: metadata.startIndex,
  };
}

/** Elements, as opposed to the `{ '#text': … }` nodes of text between them. */
function isElement(node: unknown): node is OrderedElement {
  return typeof node === 'object' && node !== null && !Object.hasOwn(node, '#text');
}

function sourceOf(element: ElementView, context: ReadContext): { file: string; line: number } {
  return { file: context.file, line: context.lines.line(element.offset) };
}

function problemAt(element: ElementView, message: string, context: ReadContext): InputError {
  return inputErrorAt(context.file, context.lines, element.offset, message);
}
