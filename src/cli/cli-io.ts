/** What a command needs from its process: streams, environment, and the stop signals. */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  /** Calls `handler` once on SIGINT or SIGTERM; returns a function that stops listening. */
  onStopSignal(handler: (signal: string) => void): () => void;
}

/** The real process's {@link CliIo}. */
export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onStopSignal(handler) {
    const once = (signal: NodeJS.Signals) => handler(signal);
    process.once('SIGINT', once);
    process.once('SIGTERM', once);
    return () => {
      process.off('SIGINT', once);
      process.off('SIGTERM', once);
    };
  },
};
