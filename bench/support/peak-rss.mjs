// Preloaded into the orgconnect CLI by the scale bench (`node --import`): at exit, writes the process's peak
// resident set size (getrusage ru_maxrss, KiB on Linux) to BENCH_PEAK_RSS_FILE. Nothing else changes.
import { writeFileSync } from 'node:fs';

const file = process.env['BENCH_PEAK_RSS_FILE'];
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
