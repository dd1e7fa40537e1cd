/**
 * `serfbort … | head -1`: once the reader is gone, a write fails with EPIPE. Nobody is left to
 * read anything, so the command ends quietly with the exit code it has so far (0 if none)
 * instead of crashing with a stack trace on stderr.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(process.exitCode === undefined ? 0 : Number(process.exitCode));
    });
  }
}
