import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckPrompt } from '../../src/tui/components/CheckPrompt.js';
import type { PromptAnswers } from '../../src/tui/session.js';
import {
  checkFormAnswers,
  checkFormErrors,
  checkFormReducer,
  initialCheckForm,
  type CheckFormAction,
} from '../../src/tui/state/check-form.js';
import { renderAt, waitFor } from './render-at.js';

afterEach(() => cleanup());

const fill = (actions: readonly CheckFormAction[]) => actions.reduce(checkFormReducer, initialCheckForm);
const type = (text: string): CheckFormAction => ({ type: 'typed', text });
const next: CheckFormAction = { type: 'focus-moved', by: 1 };

describe('checkFormReducer', () => {
  it('takes the defaults for empty port fields', () => {
    expect(checkFormAnswers(fill([type('mp01.corp.example, dp02.corp.example')]))).toEqual({
      hosts: ['mp01.corp.example', 'dp02.corp.example'],
      currentHttp: 80,
      candidateHttp: 8080,
      currentHttps: 443,
      candidateHttps: 8443,
    });
  });

  it('validates ports 1-65535 and distinct candidates', () => {
    const state = fill([type('mp01'), next, type('70000'), next, next, next, type('8080')]);
    expect(checkFormErrors(state)).toEqual({
      currentHttp: 'a port is a number from 1 to 65535',
      candidateHttps: 'HTTP and HTTPS candidate ports must differ',
    });
    expect(checkFormAnswers(state)).toBeNull();
    expect(checkFormErrors(fill([type('mp01'), next, type('0')])).currentHttp).toBeDefined();
  });

  it('refuses letters in port fields with a message, and erases', () => {
    const refused = fill([next, type('8'), type('a')]);
    expect(refused.values.currentHttp).toBe('8');
    expect(refused.refused).toBe("a port takes digits only: 'a' was not typed");
    const state = fill([next, type('8'), type('1'), { type: 'erased' }]);
    expect(state.values.currentHttp).toBe('8');
    expect(state.refused).toBeNull();
  });

  it('needs a host', () => {
    expect(checkFormErrors(fill([type(' , ')])).hosts).toBe('name at least one host or address');
  });
});

describe('CheckPrompt', () => {
  async function prompt() {
    const answers: (PromptAnswers | null)[] = [];
    const screen = render(<CheckPrompt onDone={(given) => answers.push(given)} />);
    const keys = async (...inputs: string[]) => {
      for (const input of inputs) {
        screen.stdin.write(input);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    return { screen, answers, keys };
  }

  it('shows the defaults, asks field by field and answers on the last Enter', async () => {
    const { screen, answers, keys } = await prompt();
    expect(screen.lastFrame()).toContain('Current HTTP port: 80');
    expect(screen.lastFrame()).toContain('Candidate HTTPS port: 8443');
    await keys('mp01', '\r', '\r', '8', '0', '8', '1', '\r', '\r', '\r');
    await waitFor(() => answers.length === 1);
    expect(answers[0]).toEqual({
      hosts: ['mp01'],
      currentHttp: 80,
      candidateHttp: 8081,
      currentHttps: 443,
      candidateHttps: 8443,
    });
  });

  it('shows a bad port inline and does not answer', async () => {
    const { screen, answers, keys } = await prompt();
    await keys('mp01', '\t', '9', '9', '9', '9', '9', '9', '\t');
    expect(screen.lastFrame()).toContain('✖ a port is a number from 1 to 65535');
    await keys('\r', '\r', '\r');
    expect(answers).toEqual([]);
  });

  it.each([
    [80, 24],
    [200, 60],
  ])('at %i×%i keeps every key of one read, Backspace included, in order', async (columns, rows) => {
    const answers: (PromptAnswers | null)[] = [];
    const screen = renderAt(<CheckPrompt onDone={(given) => answers.push(given)} />, columns, rows);
    screen.stdin.write('mpx\x7f01,dp02');
    await waitFor(() => screen.lastFrame().includes('mp01,dp02'));
    screen.stdin.write('\t8a');
    await waitFor(() => screen.lastFrame().includes("'a' was not typed"));
    screen.stdin.write('0\r\r\r\r');
    await waitFor(() => answers.length === 1);
    expect(answers[0]).toMatchObject({ hosts: ['mp01', 'dp02'], currentHttp: 80 });
    screen.unmount();
  });

  it.each([
    [80, 24],
    [200, 60],
  ])(
    'at %i×%i shows the hosts example unlike the defaults, and Enter on no host stays',
    async (columns, rows) => {
      const screen = renderAt(<CheckPrompt onDone={() => {}} />, columns, rows);
      await waitFor(() => screen.lastFrame().includes('Current HTTP port'));
      // The example says it is one (and is drawn dim, italic); a default reads as a value, marked so.
      expect(screen.lastFrame()).toMatch(/host\(s\), comma-separated: e\.g\. mp01\.corp\.example/);
      expect(screen.lastFrame()).toContain('Current HTTP port: 80 (default)');
      expect(screen.lastFrame()).not.toMatch(/Current HTTP port: e\.g\./);
      screen.stdin.write('\r');
      await waitFor(() => screen.lastFrame().includes('✖ name at least one host or address'));
      expect(screen.lastFrame()).toMatch(/› Site system host/);
      expect(screen.lastFrame()).not.toMatch(/› Current HTTP port/);
      screen.unmount();
    },
  );

  it('answers null on Esc', async () => {
    const { answers, keys } = await prompt();
    await keys('mp01', '\x1b');
    await waitFor(() => answers.length === 1);
    expect(answers).toEqual([null]);
  });
});
