import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_LISTEN_MS, parseListenDuration } from '../../src/responder/duration.js';

describe('listen --for durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    [' 4H ', MAX_LISTEN_MS],
  ])('%s', (text, ms) => expect(parseListenDuration(text)).toBe(ms));

  it.each(['', '15', 'm', '5x', '-1m', '0s', '500ms', '5h', '15m junk'])('refuses %j', (text) => {
    expect(() => parseListenDuration(text)).toThrow(/--for/);
  });

  it('formats for messages', () => {
    expect(formatDuration(900_000)).toBe('15m');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_000)).toBe('1m30s');
  });
});
