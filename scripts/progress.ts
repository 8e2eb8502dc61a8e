// Progress for long jobs: a redrawn bar on a terminal, a plain line every few seconds otherwise.
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let lastLine = 0;
  return {
    update(done: number, total: number) {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
      const stats = `${done}/${total} ${label}  ${rate.toFixed(1)}/s  ETA ${eta}s`;
      if (stream.isTTY) {
        const width = 24;
        const filled = total ? Math.round((done / total) * width) : width;
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats}\x1b[K${done === total ? '\n' : ''}`);
      } else if (done === total || performance.now() - lastLine > 2000) {
        lastLine = performance.now();
        stream.write(`${stats}\n`);
      }
    },
  };
}
