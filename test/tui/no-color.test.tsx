// Colour is decided when chalk loads, and the test worker has no TTY: force colour before Ink loads,
// so "no colour under NO_COLOR" is measured against a screen that would otherwise have it.
import { afterAll, describe, expect, it } from 'vitest';

const previous = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = '1';
// Everything that may load Ink (and chalk) only now, after FORCE_COLOR is set.
const { fakeSession, scanEvents } = await import('./fixtures.js');
const { waitFor } = await import('./render-at.js');
const { cleanup, render } = await import('ink-testing-library');
const { CheckScreen } = await import('../../src/tui/components/CheckScreen.js');
const { ThemeContext } = await import('../../src/tui/hooks/use-theme.js');
const { createTheme } = await import('../../src/tui/theme.js');

afterAll(() => {
  cleanup();
  if (previous === undefined) delete process.env.FORCE_COLOR;
  else process.env.FORCE_COLOR = previous;
});

/** ESC [ 3x m: an ANSI foreground colour. */
const ANSI_FOREGROUND = '\u001b[3';

async function screenWith(colour: boolean) {
  const session = fakeSession();
  const screen = render(
    <ThemeContext.Provider value={createTheme({ colour })}>
      <CheckScreen session={session} onExit={() => {}} />
    </ThemeContext.Provider>,
  );
  for (const event of scanEvents((_address, port) => (port === 80 ? {} : { state: 'closed' }))) {
    session.emit(event);
  }
  await waitFor(() => (screen.lastFrame() ?? '').includes('8/8'));
  return screen.lastFrame() ?? '';
}

describe('NO_COLOR', () => {
  it('colours the states when colour is wanted', async () => {
    const frame = await screenWith(true);
    expect(frame).toContain('\u001b[32m●'); // green open
    expect(frame).toContain('\u001b[36m○'); // cyan closed
  });

  it('draws no colour at all under NO_COLOR, and keeps every symbol', async () => {
    const frame = await screenWith(false);
    expect(frame).not.toContain(ANSI_FOREGROUND);
    expect(frame).toContain('●');
    expect(frame).toContain('○');
    expect(frame).toContain('● 2 open  ○ 6 closed');
  });
});
