/** Exit codes are a contract with scripts and schedulers (see README "Exit codes"). */
export const ExitCode = {
  go: 0,
  conditional: 1,
  noGo: 2,
  incomplete: 3,
  /** `diff`: the two reports show the same probes, findings and verdict (diff(1)'s 0). */
  unchanged: 0,
  /** `diff`: something changed between the two reports (diff(1)'s 1). */
  changed: 1,
  /** `verify`: the report's content or document changed since it was sealed. */
  reportChanged: 4,
  /** `verify --public-key`: no signature, another key's, or one that does not match the content. */
  signatureInvalid: 5,
  usage: 64,
  invalidInput: 65,
  internal: 70,
  /** The report could not be written: disk full, I/O error, read-only file system (sysexits EX_IOERR). */
  ioError: 74,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
