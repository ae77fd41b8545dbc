// Demo routes play the shop's backend: they sign identities and send purchases
// with a secret key. They answer only a client on this machine. The socket's peer
// must be a loopback address, and no proxy may have forwarded the request (a reverse
// proxy on the same host connects from loopback on behalf of anyone).
import type { RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';
import { DomainError } from './problem.js';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  try {
    return ipaddr.process(address).range() === 'loopback';
  } catch {
    return false;
  }
}

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host'];

export const loopbackOnly: RequestHandler = (req, _res, next) => {
  const forwarded = FORWARDING_HEADERS.some((h) => req.get(h) !== undefined);
  if (!isLoopback(req.socket.remoteAddress) || forwarded) {
    throw new DomainError('demo-local-only', 'Demo routes sign with a shop’s secret key, so they answer only requests from this machine (not through a proxy). Run with KUDOS_DEMO=off in production.');
  }
  next();
};
