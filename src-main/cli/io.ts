// The terminal a command talks to, passed in so that tests can capture it.

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stderrIsTTY: boolean;
  readonly stderrStream: NodeJS.WriteStream;
}

/** The process's own terminal. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stderrStream: process.stderr,
  };
}
