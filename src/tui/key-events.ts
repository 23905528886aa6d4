import type { Key } from 'ink';

/** A key as Ink describes it, with no special key pressed: what plain typed characters carry. */
const PLAIN: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const isPlain = (key: Key) =>
  (Object.keys(PLAIN) as (keyof Key)[]).every(
    (name) => name === 'shift' || name === 'eventType' || !key[name],
  );

/**
 * Ink hands a run of plain characters read at once (key repeat over SSH or RDP, fast typing, a
 * paste) to one useInput call: `jjj`, or `ab\x7fc` with a Backspace inside. Split it into one key
 * per character, in order, with Enter, Tab and Backspace recognised, so none is dropped.
 */
export function splitKeys(input: string, key: Key): readonly (readonly [string, Key])[] {
  const chars = [...input];
  if (chars.length <= 1 || !isPlain(key)) return [[input, key]];
  return chars.map((char): readonly [string, Key] => {
    if (char === '\r' || char === '\n') return ['', { ...PLAIN, return: true }];
    if (char === '\t') return ['', { ...PLAIN, tab: true }];
    // Terminals send DEL (0x7f) for Backspace, which Ink reports as `delete` when it comes alone.
    if (char === '\x7f' || char === '\b') return ['', { ...PLAIN, delete: true }];
    if (char === '\x03') return ['c', { ...PLAIN, ctrl: true }];
    return [char, { ...PLAIN, shift: /[A-Z]/.test(char) }];
  });
}
