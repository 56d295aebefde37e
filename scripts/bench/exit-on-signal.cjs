// Preloaded (`node -r`) into processes the benchmark profiles: exit normally on SIGINT/SIGTERM so
// `--cpu-prof` writes its profile (a default signal death writes nothing).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
