import { RE2JS } from 're2js';

/**
 * A rule pack's `matches` pattern, matched in linear time. Rule packs come from administrators and
 * may be shared: a JavaScript RegExp such as `(a+)+$` backtracks exponentially, freezes the process
 * and ignores SIGTERM. RE2JS (the JavaScript port of Google's RE2, maintained) guarantees time linear
 * in the input and refuses what cannot be matched so — backreferences, lookaround — at load time.
 * Kept out of the built-in rules' precompiled form so that start-up never loads it (precompiled.ts).
 */
export class LinearPattern {
  private readonly compiled: RE2JS;
  constructor(readonly source: string) {
    this.compiled = RE2JS.compile(source);
  }

  /** Whether the pattern occurs anywhere in `text` (unanchored, as RegExp.test). */
  test(text: string): boolean {
    return this.compiled.matcher(text).find();
  }
}

/** The pattern, or why it is refused (RE2's message, without its prefix). */
export function compilePattern(source: string): LinearPattern | { readonly error: string } {
  try {
    return new LinearPattern(source);
  } catch (error) {
    return { error: (error as Error).message.replace(/^error parsing regexp: /, '') };
  }
}
