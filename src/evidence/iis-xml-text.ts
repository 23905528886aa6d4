import { InputError } from '../shared/errors.js';
import type { LineIndex } from '../shared/line-index.js';

/**
 * Text-level helpers for reading IIS XML configuration: positions, the DTD refusal and character
 * references. Kept apart from the element walk so each can be tested and reasoned about alone.
 */

/** One InputError for one problem at an offset of the text. */
export function inputErrorAt(file: string, lines: LineIndex, offset: number, message: string): InputError {
  return new InputError([{ position: { file, ...lines.position(offset) }, message }]);
}

/**
 * Comments and CDATA sections are matched first so that a `<!DOCTYPE` written inside them (in a
 * commented-out example, say) is skipped; anything else starting `<!DOCTYPE` or `<!ENTITY` is markup.
 */
const DTD_OR_SKIPPED_SECTION = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!(DOCTYPE|ENTITY)/gi;

/**
 * Refuses a document type declaration or entity declaration before any parser sees the text:
 * applicationHost.config never has one, and refusing it rules out entity-expansion attacks (billion
 * laughs, external entities) whatever the parser's own settings are.
 */
export function refuseDtd(text: string, file: string, lines: LineIndex): void {
  DTD_OR_SKIPPED_SECTION.lastIndex = 0;
  for (let match = DTD_OR_SKIPPED_SECTION.exec(text); match; match = DTD_OR_SKIPPED_SECTION.exec(text)) {
    if (match[1] !== undefined) {
      throw inputErrorAt(
        file,
        lines,
        match.index,
        'XML with a DTD or entity declarations is refused (no entity expansion)',
      );
    }
  }
}

/** A Map, not an object literal: `&constructor;` must not find Object.prototype's members. */
const PREDEFINED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** Every `&`: with a well-formed reference after it, or (group 1 undefined) bare. */
const AMPERSAND = /&(?:#x([0-9a-fA-F]{1,8});|#([0-9]{1,10});|([A-Za-z_][\w.-]*);)?/g;

/**
 * Decodes the five predefined XML entities and numeric character references in an attribute value.
 * The parser runs with entity processing off (so it can never expand a custom entity); this puts
 * back exactly what XML itself defines. Anything else is a problem: without a DTD, `&name;` is not
 * well-formed XML, and neither is a bare `&`.
 */
export function decodeXmlReferences(value: string): { value: string } | { problem: string } {
  if (!value.includes('&')) return { value };
  let problem: string | null = null;
  const decoded = value.replace(
    AMPERSAND,
    (whole, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
      if (hex !== undefined || decimal !== undefined) {
        const code = hex !== undefined ? parseInt(hex, 16) : parseInt(decimal ?? '', 10);
        if (isXmlChar(code)) return String.fromCodePoint(code);
        problem ??= `character reference "${whole}" is not a valid XML character`;
      } else if (name !== undefined) {
        const replacement = PREDEFINED_ENTITIES.get(name);
        if (replacement !== undefined) return replacement;
        problem ??= `undefined entity "${whole}" (only XML's predefined entities are read)`;
      } else {
        problem ??= 'bare "&" in an attribute value (write &amp;)';
      }
      return whole;
    },
  );
  return problem === null ? { value: decoded } : { problem };
}

/** XML 1.0 Char production: tab, LF, CR, and the ranges excluding surrogates and U+FFFE/U+FFFF. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
