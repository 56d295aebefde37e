/** `--key=value` / `--flag` command-line options as an object (values may contain `=`). */
export function parseArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(
    argv.map((a) => {
      const [k, ...v] = a.replace(/^--/, '').split('=');
      return [k, v.length > 0 ? v.join('=') : 'true'];
    }),
  );
}
