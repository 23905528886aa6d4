import type { PromptAnswers } from '../session.js';

export const CHECK_FORM_FIELDS = [
  'hosts',
  'currentHttp',
  'candidateHttp',
  'currentHttps',
  'candidateHttps',
] as const;
export type CheckFormField = (typeof CHECK_FORM_FIELDS)[number];

/** What an empty field means: today's ports are shown as defaults, the candidates as suggestions. */
export const CHECK_FORM_DEFAULTS: Readonly<Record<CheckFormField, string>> = {
  hosts: '',
  currentHttp: '80',
  candidateHttp: '8080',
  currentHttps: '443',
  candidateHttps: '8443',
};

export const CHECK_FORM_LABELS: Readonly<Record<CheckFormField, string>> = {
  hosts: 'Site system host(s), comma-separated',
  currentHttp: 'Current HTTP port',
  candidateHttp: 'Candidate HTTP port',
  currentHttps: 'Current HTTPS port',
  candidateHttps: 'Candidate HTTPS port',
};

export interface CheckFormState {
  readonly values: Readonly<Record<CheckFormField, string>>;
  readonly focus: number;
  /** Errors are shown once the user has tried to leave a field or submit, not while typing. */
  readonly touched: ReadonlySet<CheckFormField>;
  /** Why the last key typed was refused (a letter in a port field), until the next key. */
  readonly refused: string | null;
}

export type CheckFormAction =
  | { readonly type: 'typed'; readonly text: string }
  | { readonly type: 'erased' }
  | { readonly type: 'focus-moved'; readonly by: number }
  | { readonly type: 'submit-attempted' };

export const initialCheckForm: CheckFormState = {
  values: { hosts: '', currentHttp: '', candidateHttp: '', currentHttps: '', candidateHttps: '' },
  focus: 0,
  touched: new Set(),
  refused: null,
};

/** Shown in an empty hosts field: an example, not a value (port fields show their defaults instead). */
export const HOSTS_EXAMPLE = 'e.g. mp01.corp.example, dp02.corp.example';

export const focusedField = (state: CheckFormState): CheckFormField =>
  CHECK_FORM_FIELDS[state.focus] as CheckFormField;

export function checkFormReducer(state: CheckFormState, action: CheckFormAction): CheckFormState {
  const field = focusedField(state);
  switch (action.type) {
    case 'typed': {
      // Ports take digits only: anything else is refused whole, and says so, rather than stripped.
      if (field !== 'hosts' && /\D/.test(action.text)) {
        return { ...state, refused: `a port takes digits only: '${action.text}' was not typed` };
      }
      return {
        ...state,
        refused: null,
        values: { ...state.values, [field]: state.values[field] + action.text },
      };
    }
    case 'erased':
      return {
        ...state,
        refused: null,
        values: { ...state.values, [field]: [...state.values[field]].slice(0, -1).join('') },
      };
    case 'focus-moved': {
      const count = CHECK_FORM_FIELDS.length;
      const focus = (((state.focus + action.by) % count) + count) % count;
      return { ...state, focus, refused: null, touched: new Set([...state.touched, field]) };
    }
    case 'submit-attempted':
      return { ...state, touched: new Set(CHECK_FORM_FIELDS) };
  }
}

/** The value a field stands for: what was typed, else its default. */
const effective = (state: CheckFormState, field: CheckFormField) =>
  state.values[field].trim() || CHECK_FORM_DEFAULTS[field];

export function parseHosts(text: string): readonly string[] {
  return text
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
}

function portError(text: string): string | null {
  const port = Number(text);
  return /^\d+$/.test(text) && port >= 1 && port <= 65535 ? null : 'a port is a number from 1 to 65535';
}

/** Problems per field, whether shown yet or not. */
export function checkFormErrors(state: CheckFormState): Partial<Record<CheckFormField, string>> {
  const errors: Partial<Record<CheckFormField, string>> = {};
  if (parseHosts(state.values.hosts).length === 0) errors.hosts = 'name at least one host or address';
  for (const field of CHECK_FORM_FIELDS.slice(1)) {
    const error = portError(effective(state, field));
    if (error) errors[field] = error;
  }
  // The plan schema refuses this too: one port cannot serve both HTTP and HTTPS.
  if (!errors.candidateHttps && effective(state, 'candidateHttp') === effective(state, 'candidateHttps')) {
    errors.candidateHttps = 'HTTP and HTTPS candidate ports must differ';
  }
  return errors;
}

/** The answers, or null while any field is invalid. */
export function checkFormAnswers(state: CheckFormState): PromptAnswers | null {
  if (Object.keys(checkFormErrors(state)).length > 0) return null;
  const port = (field: CheckFormField) => Number(effective(state, field));
  return {
    hosts: parseHosts(state.values.hosts),
    currentHttp: port('currentHttp'),
    candidateHttp: port('candidateHttp'),
    currentHttps: port('currentHttps'),
    candidateHttps: port('candidateHttps'),
  };
}
