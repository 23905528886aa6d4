#!/usr/bin/env node
// Test listener started inside a network namespace by topology.ts:
//   node serve.mjs --tcp 80,443 --udp-echo 9
// Accepts TCP connections (held until the peer closes) and echoes UDP datagrams.
// Prints READY on stdout once every port is bound; exits on SIGTERM.
import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import process from 'node:process';

function parsePorts(flag) {
  const index = process.argv.indexOf(flag);
  if (index === -1) return [];
  const list = process.argv[index + 1] ?? '';
  return list
    .split(',')
    .filter((item) => item !== '')
    .map((item) => {
      const port = Number(item);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`serve.mjs: invalid port "${item}" after ${flag}`);
      }
      return port;
    });
}

// A UDP socket bound to 0.0.0.0 replies from whatever source address the route picks, so a
// client that sent to an alias address would drop the echo. One socket per local IPv4 address
// makes every reply come from the address the client asked for.
function localIpv4Addresses() {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && info.family === 'IPv4')
    .map((info) => info.address);
}

function listenTcp(port, sockets) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {}); // resets from probes are expected
      socket.on('close', () => sockets.delete(socket));
      socket.resume();
    });
    server.once('error', reject);
    server.listen({ port, host: '0.0.0.0' }, () => resolve(server));
  });
}

function listenUdpEcho(port, address) {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (message, peer) => socket.send(message, peer.port, peer.address));
    socket.once('error', reject);
    socket.bind(port, address, () => resolve(socket));
  });
}

const tcpPorts = parsePorts('--tcp');
const udpEchoPorts = parsePorts('--udp-echo');
const tcpSockets = new Set();
const addresses = localIpv4Addresses();

const tcpServers = await Promise.all(tcpPorts.map((port) => listenTcp(port, tcpSockets)));
const udpSockets = await Promise.all(
  udpEchoPorts.flatMap((port) => addresses.map((address) => listenUdpEcho(port, address))),
);

process.on('SIGTERM', () => {
  for (const socket of tcpSockets) socket.destroy();
  for (const server of tcpServers) server.close();
  for (const socket of udpSockets) socket.close();
  process.exit(0);
});

process.stdout.write(`READY tcp=${tcpPorts.join(',')} udp-echo=${udpEchoPorts.join(',')}\n`);
