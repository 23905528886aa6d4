import { writeFileSync } from 'node:fs';
import { createBenchNetwork } from './lib/bench-network.js';
const hosts = Number(process.argv[2] ?? 240);
const net = await createBenchNetwork(hosts);
writeFileSync('/tmp/pfs/net.json', JSON.stringify({ ns: net.topology.ns('client'), addresses: net.addresses }));
console.log('ready', net.topology.ns('client'));
const stop = async () => { await net.topology.destroy(); process.exit(0); };
process.on('SIGINT', stop); process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
