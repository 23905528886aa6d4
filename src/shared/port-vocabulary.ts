/** Transport a probe uses. */
export type ProbeProtocol = 'tcp' | 'udp';

/** What a port means to the change being planned, most important first. */
export const PORT_ROLES = [
  'candidate-http',
  'candidate-https',
  'alternate-http',
  'alternate-https',
  'current-http',
  'current-https',
  'client-notification',
  'enrollment',
  'extra',
] as const;
export type PortRole = (typeof PORT_ROLES)[number];
