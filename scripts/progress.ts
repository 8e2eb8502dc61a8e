// Progress for long jobs: a redrawn bar on a terminal, a plain line every few seconds otherwise.
// The clock starts at the first update (the caller says 0 done when its stage starts), so time spent
// before it (loading the model, reading files) does not count against the rate and inflate the ETA.
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr, now: () => number = () => performance.now()) {
  let started: number | null = null;
  let lastLine: number | null = null;
  return {
    /** `share`: the share of the work done, when items differ in cost (long chunks take longer); `done / total` otherwise. */
    update(done: number, total: number, share = total ? done / total : 1) {
      const at = now();
      started ??= at;
      const seconds = (at - started) / 1000;
      // Nothing done yet: no rate or ETA to tell, only that the stage has started.
      const stats =
        done > 0 && share > 0
          ? `${done}/${total} ${label}  ${(seconds > 0 ? done / seconds : 0).toFixed(1)}/s  ETA ${Math.ceil((seconds * (1 - share)) / share)}s`
          : `${done}/${total} ${label}`;
      if (stream.isTTY) {
        const width = 24;
        const filled = total ? Math.round((done / total) * width) : width;
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats}\x1b[K${done === total ? '\n' : ''}`);
      } else if (lastLine === null || done === total || at - lastLine > 2000) {
        // The first line at once (the stage has begun), then one every 2 s, and the last.
        lastLine = at;
        stream.write(`${stats}\n`);
      }
    },
  };
}
