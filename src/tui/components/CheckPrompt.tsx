import { useApp, useInput, type Key } from 'ink';
import { useReducer, useRef } from 'react';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import type { PromptAnswers } from '../session.js';
import {
  CHECK_FORM_FIELDS,
  checkFormAnswers,
  checkFormErrors,
  type CheckFormAction,
  type CheckFormState,
  checkFormReducer,
  initialCheckForm,
} from '../state/check-form.js';
import { splitKeys } from '../key-events.js';
import { isTypedText } from '../typed-text.js';
import { CheckForm } from './CheckForm.js';

export interface CheckPromptProps {
  /** Called once: the answers, or null when the user cancels. */
  readonly onDone: (answers: PromptAnswers | null) => void;
}

/** Owns the form's reducer and keys; CheckForm only draws it. */
export function CheckPrompt({ onDone }: CheckPromptProps) {
  const { exit } = useApp();
  const { columns } = useTerminalSize();
  const [form, dispatch] = useReducer(checkFormReducer, initialCheckForm);
  const done = useRef(false);
  const finish = (answers: PromptAnswers | null) => {
    done.current = true;
    onDone(answers);
    exit();
  };
  // Keys read the form of the last render: Ink's handler is renewed only when effects flush.
  const latest = useRef(form);
  latest.current = form;
  useInput((input, key) => {
    // Each key of a multi-key read in order, against the form the previous one left.
    let form = latest.current;
    const send = (action: CheckFormAction) => {
      dispatch(action);
      form = checkFormReducer(form, action);
    };
    for (const [one, oneKey] of splitKeys(input, key)) {
      if (done.current) return;
      handleKey(one, oneKey, form, send);
    }
    latest.current = form;
  });
  const handleKey = (
    input: string,
    key: Key,
    form: CheckFormState,
    dispatch: (action: CheckFormAction) => void,
  ) => {
    if (key.escape || (key.ctrl && input === 'c')) return finish(null);
    if (key.return) {
      // An empty or invalid hosts field keeps the focus: moving on would hide why nothing can run.
      if (form.focus === 0 && checkFormErrors(form).hosts) return dispatch({ type: 'submit-attempted' });
      if (form.focus < CHECK_FORM_FIELDS.length - 1) return dispatch({ type: 'focus-moved', by: 1 });
      const answers = checkFormAnswers(form);
      if (answers) return finish(answers);
      return dispatch({ type: 'submit-attempted' });
    }
    if ((key.tab && key.shift) || key.upArrow) return dispatch({ type: 'focus-moved', by: -1 });
    if (key.tab || key.downArrow) return dispatch({ type: 'focus-moved', by: 1 });
    if (key.backspace || key.delete) return dispatch({ type: 'erased' });
    if (isTypedText(input, key)) {
      dispatch({ type: 'typed', text: input });
    }
  };
  return <CheckForm form={form} width={columns} />;
}
