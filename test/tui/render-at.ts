import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

/** A terminal of a given size: ink-testing-library's streams are fixed at 100 columns. */
class FakeTerminal extends EventEmitter {
  readonly frames: string[] = [];
  /** Escape sequences that draw nothing (OSC 52 clipboard), kept apart from the frames. */
  readonly sequences: string[] = [];
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    if (frame.startsWith('\x1b]')) this.sequences.push(frame);
    else this.frames.push(frame);
    return true;
  };
}

class FakeKeyboard extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = () => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export function renderAt(tree: ReactElement, columns: number, rows: number) {
  const stdout = new FakeTerminal(columns, rows);
  const stdin = new FakeKeyboard();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeTerminal(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { ...instance, stdin, stdout, lastFrame: () => stdout.frames.at(-1) ?? '' };
}

/** Waits until the condition holds (the screen batches events every 100 ms). */
export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
