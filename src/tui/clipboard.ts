/**
 * OSC 52 ("set the clipboard"): the terminal, not this machine, takes the text, so copying works
 * over SSH, in tmux (`set-clipboard on`) and in Windows Terminal. No terminal says whether it took
 * it, so the screen always sends it and offers `w` to write the text to a file as well.
 */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}
