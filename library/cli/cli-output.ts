/** The streams a command writes to: stdout for results, stderr for problems. Tests pass collectors. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A usage mistake: the CLI prints the message with the command's help and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
