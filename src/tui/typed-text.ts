import type { Key } from 'ink';

/** Printable text the user typed (or pasted), as opposed to a control key, for text fields. */
export function isTypedText(input: string, key: Key): boolean {
  if (key.ctrl || key.meta || input.length === 0) return false;
  return [...input].every((char) => (char.codePointAt(0) ?? 0) >= 0x20 && char !== '\x7f');
}
