import * as z from 'zod';

/** A TCP/UDP port in a plan (1-65535). */
export const port = z
  .number({ error: 'must be a port number (1-65535)' })
  .int({ error: 'must be a whole port number (1-65535)' })
  .min(1, { error: 'port must be 1-65535' })
  .max(65535, { error: 'port must be 1-65535' });
