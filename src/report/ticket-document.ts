import type { Verdict } from '../verdict/compute-verdict.js';
import type { EmbeddedCopy } from './embedded-copy.js';

/**
 * A report laid out for people (a change ticket, a CAB pack) as plain blocks, so Markdown and HTML
 * render the same sections in the same order from one place (ticket-view.ts) and differ only in
 * syntax. Nothing here is styled by colour alone: a `mark` is a symbol, and the tone only adds colour.
 */
export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'muted';

export type Span =
  | string
  | { readonly code: string }
  | { readonly strong: string }
  | { readonly mark: string; readonly tone: Tone };

export type Spans = readonly Span[];

export type Block =
  | { readonly kind: 'paragraph'; readonly spans: Spans }
  | { readonly kind: 'heading'; readonly spans: Spans }
  | { readonly kind: 'list'; readonly items: readonly Spans[] }
  | {
      readonly kind: 'table';
      /** A header cell may break its line (`\n`): HTML breaks it there, Markdown writes a space. */
      readonly header: readonly string[];
      readonly rows: readonly (readonly Spans[])[];
    }
  /** Text to paste: a command line, a remediation, quoted evidence lines. */
  | { readonly kind: 'code'; readonly text: string }
  /** The sealed model, for `portflight verify`. */
  | { readonly kind: 'copy'; readonly copy: EmbeddedCopy };

export interface TicketSection {
  /** Anchor (HTML id): lower-case words and dashes. */
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

export interface TicketDocument {
  readonly title: string;
  readonly verdict: Verdict;
  readonly verdictMark: { readonly symbol: string; readonly label: string; readonly tone: Tone };
  /** The verdict's main reasons: the rest of the sentence that starts with the verdict. */
  readonly sentence: Spans;
  readonly sections: readonly TicketSection[];
}

export const VERDICT_TONES: Readonly<Record<Verdict, Tone>> = {
  go: 'good',
  conditional: 'warn',
  incomplete: 'info',
  'no-go': 'bad',
};
