// How a long-running command stops: the first SIGINT or SIGTERM starts a graceful stop; if that
// has not ended within the deadline, or a second signal comes, the process exits at once. Exiting
// early loses nothing acknowledged: ingest's spool is on disk and replayed at the next start.
export const STOP_DEADLINE_MS = 30_000;

export function stopSignal(deadlineMs = STOP_DEADLINE_MS): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      const force = (again: NodeJS.Signals) => {
        console.error(`ontap: ${again} again; exiting now`);
        process.exit(130);
      };
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      setTimeout(() => {
        console.error(`ontap: did not stop within ${deadlineMs / 1000} s; exiting now`);
        process.exit(1);
      }, deadlineMs).unref();
      resolve(signal);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}
