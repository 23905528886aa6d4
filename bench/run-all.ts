// `npm run bench [-- scan-vs-nmap flags]`: every benchmark in turn, each run to its end whatever the one before said, so a
// missed start-up target never hides the scan figures; exits with the worst exit code.
import { spawnSync } from 'node:child_process';

const BENCHES = [
  'bench/parse-application-host.ts',
  'bench/evidence-budgets.ts',
  'bench/startup.ts',
  'bench/rules-scale.ts',
  'bench/report-formats.ts',
  // Last: its summary (the default mode's ratio to nmap, localisation, memory) is the headline.
  'bench/scan-vs-nmap.ts',
] as const;

let worst = 0;
for (const bench of BENCHES) {
  console.log(`\n== ${bench}`);
  // Flags after `npm run bench --` are scan-vs-nmap's (--hosts, --repeat, portflight flags).
  const flags = bench === 'bench/scan-vs-nmap.ts' ? process.argv.slice(2) : [];
  const result = spawnSync(process.execPath, ['--import', 'tsx', bench, ...flags], {
    stdio: 'inherit',
  });
  const code = result.status ?? 2;
  if (code !== 0) console.log(`== ${bench}: exit ${code}`);
  worst = Math.max(worst, code);
}
process.exit(worst);
