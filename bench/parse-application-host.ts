// Benchmark: parseApplicationHostConfig on a generated applicationHost.config with 5,000 sites and
// 20,000 bindings (hosting-provider scale, far above a ConfigMgr site server's handful of sites).
// Parses it 5 times, prints the median, and PASS/FAIL against 300 ms (exit 1 on FAIL); also times
// the "which sites bind port P" scan that rules run over the model.
//
//   npx tsx bench/parse-application-host.ts [--sites 5000] [--runs 5]
import { parseApplicationHostConfig } from '../src/evidence/parse-application-host-config.js';
import type { ApplicationHostConfig } from '../src/evidence/types.js';

const TARGET_MEDIAN_MS = 300;
const BINDINGS_PER_SITE = 4;

function optionValue(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
}

/** Binding shapes seen in real files: wildcards, host headers, specific IPv4/IPv6, https flags. */
function bindingLine(site: number, index: number): string {
  const port = [80, 443, 8080, 8443, 8000 + (site % 1000)][(site + index) % 5] ?? 80;
  const host = index % 2 === 0 ? '' : `www${index}.site${site}.example`;
  const ip =
    site % 7 === 0
      ? `10.${(site >> 8) & 255}.${site & 255}.${index + 1}`
      : site % 11 === 0
        ? '[2001:db8::1]'
        : '*';
  const https = port === 443 || port === 8443;
  const flags = https ? ` sslFlags="${host ? 1 : 0}"` : '';
  return `          <binding protocol="${https ? 'https' : 'http'}" bindingInformation="${ip}:${port}:${host}"${flags} />`;
}

function generateConfig(siteCount: number): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<configuration>',
    '  <system.applicationHost>',
    '    <applicationPools>',
    '      <add name="DefaultAppPool" />',
    '    </applicationPools>',
    '    <sites>',
  ];
  for (let site = 1; site <= siteCount; site++) {
    lines.push(
      `      <site name="Site &amp; Co ${site}" id="${site}"${site % 3 === 0 ? ' serverAutoStart="false"' : ''}>`,
      `        <application path="/" applicationPool="Pool${site % 50}">`,
      `          <virtualDirectory path="/" physicalPath="D:\\Sites\\site${site}" />`,
      '        </application>',
    );
    if (site % 4 === 0) {
      lines.push(
        `        <application path="/api" applicationPool="Pool${site % 50}">`,
        `          <virtualDirectory path="/" physicalPath="D:\\Sites\\site${site}\\api" />`,
        '        </application>',
      );
    }
    lines.push('        <bindings>');
    for (let index = 0; index < BINDINGS_PER_SITE; index++) lines.push(bindingLine(site, index));
    lines.push(
      '        </bindings>',
      `        <logFile directory="D:\\Logs\\site${site}" logFormat="W3C" />`,
      '      </site>',
    );
  }
  lines.push(
    '      <siteDefaults>',
    '        <logFile logFormat="W3C" directory="%SystemDrive%\\inetpub\\logs\\LogFiles" />',
    '      </siteDefaults>',
    '      <applicationDefaults applicationPool="DefaultAppPool" />',
    '    </sites>',
    '  </system.applicationHost>',
    '</configuration>',
    '',
  );
  return lines.join('\r\n');
}

/** The question rules ask of the model: who holds this port? */
function sitesBindingPort(config: ApplicationHostConfig, port: number): string[] {
  return config.sites
    .filter((site) => site.bindings.some((binding) => binding.port === port))
    .map((site) => site.name);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function main(): number {
  const siteCount = optionValue('--sites', 5000);
  const runs = optionValue('--runs', 7);
  const text = generateConfig(siteCount);
  const timings: number[] = [];
  let config: ApplicationHostConfig | null = null;
  // The first parses run while V8 still compiles the parser: report them, but time the steady state
  // (what a scheduled job parsing many bundles sees).
  const coldStarted = performance.now();
  parseApplicationHostConfig(text, 'bench/applicationHost.config');
  const coldMs = performance.now() - coldStarted;
  parseApplicationHostConfig(text, 'bench/applicationHost.config');
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    config = parseApplicationHostConfig(text, 'bench/applicationHost.config');
    timings.push(performance.now() - started);
  }
  if (config === null) return 2;
  const bindingCount = config.sites.reduce((sum, site) => sum + site.bindings.length, 0);
  if (config.sites.length !== siteCount || bindingCount !== siteCount * BINDINGS_PER_SITE) {
    console.error(`FAIL: read ${config.sites.length} sites and ${bindingCount} bindings`);
    return 1;
  }
  const scanStarted = performance.now();
  const holders = [80, 443, 8080, 8443, 9999].map((port) => sitesBindingPort(config, port).length);
  const scanMs = (performance.now() - scanStarted) / 5;

  const parseMedian = median(timings);
  const verdict = parseMedian <= TARGET_MEDIAN_MS ? 'PASS' : 'FAIL';
  console.log(
    `input: ${siteCount} sites, ${bindingCount} bindings, ${(text.length / 1024 / 1024).toFixed(1)} MiB, ${text.split('\n').length} lines`,
  );
  console.log(
    `parse: cold ${coldMs.toFixed(0)} ms, then ${timings.map((ms) => ms.toFixed(0)).join(' / ')} ms; median ${parseMedian.toFixed(1)} ms`,
  );
  console.log(
    `scan "which sites bind port P": ${scanMs.toFixed(2)} ms per port (sites on 80/443/8080/8443/9999: ${holders.join('/')})`,
  );
  console.log(`${verdict}: median parse ${parseMedian.toFixed(1)} ms (target ≤ ${TARGET_MEDIAN_MS} ms)`);
  return verdict === 'PASS' ? 0 : 1;
}

process.exitCode = main();
