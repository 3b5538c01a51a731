// How a long-running command stops (close-with-grace): the first SIGINT or SIGTERM (or SIGHUP,
// or an uncaught error) runs its graceful stop; if that has not ended within the deadline, or a
// second signal comes, the process exits at once. Exiting early loses nothing acknowledged:
// ingest's spool is on disk and replayed at the next start.
import closeWithGrace from 'close-with-grace';

export const STOP_DEADLINE_MS = 30_000;

/**
 * Installs `stop` as the command's one way out. The process then exits from here: 0 once `stop`
 * has closed everything, 1 if it failed, took longer than the deadline or an uncaught error set it
 * off, 130 on a second signal. `uninstall` gives the signals back, for a command that ends by itself.
 */
export function onStop(stop: () => Promise<void>, deadlineMs = STOP_DEADLINE_MS): { uninstall(): void } {
  return closeWithGrace(
    {
      delay: deadlineMs,
      // Failures of `stop` itself: one line, as for any failed command.
      logger: { error: (error: unknown) => console.error(`ontap: ${error instanceof Error ? error.message : error}`) },
      onSecondSignal: (signal) => {
        console.error(`ontap: ${signal} again; exiting now`);
        process.exit(130);
      },
      onSecondError: (error) => console.error('ontap: another uncaught error while stopping; exiting now', error),
      onTimeout: (delay) => console.error(`ontap: did not stop within ${delay / 1000} s; exiting now`),
    },
    async ({ err }) => {
      // An uncaught error is a fault of OnTap's: say what it was, with where, then stop as gracefully as possible.
      if (err) console.error('ontap: uncaught error; stopping', err);
      await stop();
    },
  );
}

/** Installs `stop` and never resolves: the process ends in the stop path. */
export function untilStopped(stop: () => Promise<void>, deadlineMs = STOP_DEADLINE_MS): Promise<never> {
  onStop(stop, deadlineMs);
  return new Promise<never>(() => {});
}
