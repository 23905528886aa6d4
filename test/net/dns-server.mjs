// A DNS server for tests, run inside a namespace: answers A queries from a fixed table and fails the
// others in the ways real resolvers do. Hand-written: a few lines of RFC 1035 instead of a daemon to
// install and configure.
//
//   node dns-server.mjs ADDRESS 'name=1.2.3.4,gone=nxdomain,broken=servfail,slow=silent'
//
// Prints READY once bound to ADDRESS:53 (UDP).
import { Buffer } from 'node:buffer';
import { createSocket } from 'node:dgram';
import process from 'node:process';

const [address, table = ''] = process.argv.slice(2);
const answers = new Map(
  table
    .split(',')
    .filter(Boolean)
    .map((entry) => entry.split('=')),
);

const RCODE = { nxdomain: 3, servfail: 2 };

/** The question's name (lower case) and where the question section ends. */
function readQuestion(query) {
  const labels = [];
  let offset = 12;
  while (offset < query.length && query[offset] !== 0) {
    const length = query[offset];
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('latin1'));
    offset += length + 1;
  }
  const type = query.readUInt16BE(offset + 1);
  return { name: labels.join('.').toLowerCase(), type, end: offset + 5 };
}

function reply(query, rcode, records) {
  const { end } = readQuestion(query);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(0x8180 | rcode, 2); // response, recursion desired + available
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const body = records.map((ipv4) => {
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // the question's name
    record.writeUInt16BE(1, 2); // A
    record.writeUInt16BE(1, 4); // IN
    record.writeUInt32BE(60, 6); // TTL
    record.writeUInt16BE(4, 10);
    ipv4.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
    return record;
  });
  return Buffer.concat([header, query.subarray(12, end), ...body]);
}

const socket = createSocket('udp4');
socket.on('message', (query, peer) => {
  const { name, type } = readQuestion(query);
  const answer = answers.get(name.split('.')[0]);
  if (answer === 'silent') return;
  let response;
  if (answer === undefined || answer === 'nxdomain') response = reply(query, RCODE.nxdomain, []);
  else if (answer === 'servfail') response = reply(query, RCODE.servfail, []);
  else response = reply(query, 0, type === 1 ? [answer] : []); // AAAA and others: no data
  socket.send(response, peer.port, peer.address);
});
socket.bind(53, address, () => process.stdout.write('READY\n'));
