import type { Rule } from '../types.js';
import { cmClientNotificationBlocked } from './cm-client-notification-blocked.js';
import { cmClientsMustReinstall } from './cm-clients-must-reinstall.js';
import { cmLinuxUnixClients } from './cm-linux-unix-clients.js';
import { pfCandidateBlocked } from './pf-candidate-blocked.js';
import { pfCandidateNotListening } from './pf-candidate-not-listening.js';
import { pfCandidateUnverified } from './pf-candidate-unverified.js';
import { pfHostUnreachable } from './pf-host-unreachable.js';
import { pfNameUnresolved } from './pf-name-unresolved.js';
import { pfNothingProbed } from './pf-nothing-probed.js';
import { pfPathNotLocalised } from './pf-path-not-localised.js';
import { pfPortFiltered } from './pf-port-filtered.js';
import { pfPortsUnchanged } from './pf-ports-unchanged.js';
import { pfProbeError } from './pf-probe-error.js';
import { pfScanInterrupted } from './pf-scan-interrupted.js';

export const BUILTIN_RULES: readonly Rule[] = [
  pfScanInterrupted,
  pfNothingProbed,
  pfNameUnresolved,
  pfHostUnreachable,
  pfProbeError,
  pfCandidateBlocked,
  pfCandidateUnverified,
  pfCandidateNotListening,
  pfPortFiltered,
  pfPathNotLocalised,
  pfPortsUnchanged,
  cmClientNotificationBlocked,
  cmClientsMustReinstall,
  cmLinuxUnixClients,
];
