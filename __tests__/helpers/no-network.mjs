// Preloaded into a step (`node --import`) that must reach nothing: every DNS lookup and every outgoing
// connection (TCP or a unix socket) is written to the file NO_NETWORK_LOG and refused before it is made, and
// so is every AWS_* variable in its environment.
import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';

const log = process.env.NO_NETWORK_LOG;
const record = (what) => appendFileSync(log, `${what}\n`);

// A step that must need no AWS is also given none: any AWS_* variable it sees is reported as well.
for (const name of Object.keys(process.env).filter((n) => n.startsWith('AWS_'))) record(`env ${name}`);

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  record(`dns.lookup ${hostname}`);
  return lookup.call(this, 'refused.invalid', ...rest);
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const target = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] };
  record(`connect ${target.path ?? `${target.host ?? 'localhost'}:${target.port}`}`);
  process.nextTick(() =>
    this.destroy(Object.assign(new Error('network refused by no-network.cjs'), { code: 'ECONNREFUSED' })),
  );
  return this;
};
void connect;
