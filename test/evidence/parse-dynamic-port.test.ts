import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDynamicPort } from '../../src/evidence/parse-dynamic-port.js';
import {
  crlf,
  describeCorpus,
  positionOf,
  problemOf,
  readCorpus,
  readSample,
  SAMPLES_DIR,
} from './text-parser-fixtures.js';

describeCorpus('dynamicport: real outputs (shared corpus)', () => {
  it('reads the default range 49152 / 16384', () => {
    const { text, file } = readCorpus('netsh-int-ipv4-show-dynamicport-01');
    expect(parseDynamicPort(text, file)).toEqual({ start: 49152, count: 16384, source: { file, line: 3 } });
  });

  it('reads the range the VS installer left (1024 / 64511), quoted in a script comment', () => {
    const { text, file } = readCorpus('netsh-int-ipv4-show-dynamicport-02');
    expect(parseDynamicPort(text, file)).toEqual({ start: 1024, count: 64511, source: { file, line: 3 } });
  });
});

describe('dynamicport: sample bundles', () => {
  it.each(readdirSync(SAMPLES_DIR))('%s: the default range', (bundle) => {
    const { text, file } = readSample(bundle, 'dynamicport-tcp.txt');
    expect(parseDynamicPort(text, file)).toMatchObject({ start: 49152, count: 16384 });
  });
});

describe('dynamicport: shapes and errors', () => {
  const output = (start: string, count: string) =>
    crlf('', 'Protocol tcp Dynamic Port Range', '---------------------------------', start, count, '');

  it('reads French labels and, in another language, the two numbers in order', () => {
    expect(
      parseDynamicPort(output('Port de démarrage   : 10000', 'Nombre de ports     : 1000'), 'x.txt'),
    ).toMatchObject({
      start: 10000,
      count: 1000,
    });
    expect(
      parseDynamicPort(output('Porta inicial       : 1025', 'Número de portas    : 64511'), 'x.txt'),
    ).toMatchObject({
      start: 1025,
      count: 64511,
    });
  });

  it('a label named like an Object.prototype member is an unknown label, read by order (the flaw of the urlacl fuzz counterexample)', () => {
    expect(parseDynamicPort(output('constructor : 1025', 'hasOwnProperty : 64511'), 'x.txt')).toMatchObject({
      start: 1025,
      count: 64511,
    });
  });

  it('a value that is not a number, at its column', () => {
    const problem = problemOf(() =>
      parseDynamicPort(output('Start Port      : 49152', 'Number of Ports : many'), 'x.txt'),
    );
    expect(problem.text).toBe(
      "x.txt:5:19: expected a number of ports (1-65535) after 'Number of Ports', found 'many'",
    );
  });

  it('a range that runs past 65535', () => {
    const problem = problemOf(() =>
      parseDynamicPort(output('Start Port      : 60000', 'Number of Ports : 16384'), 'x.txt'),
    );
    expect(positionOf(problem)).toBe('x.txt:5:19');
  });

  it('a start port without its count (truncated), and a file without either', () => {
    const truncated = crlf('Protocol tcp Dynamic Port Range', '-----', 'Start Port      : 49152');
    expect(positionOf(problemOf(() => parseDynamicPort(truncated, 'x.txt')))).toBe('x.txt:4:1');
    expect(positionOf(problemOf(() => parseDynamicPort('', 'x.txt')))).toBe('x.txt:1:1');
  });
});
