import { createHash } from 'node:crypto';

/** Hex SHA-256 of a text: how a plan (file or command line) is identified in a report. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
