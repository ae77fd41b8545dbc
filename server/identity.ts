// Shopper identity verification, as Intercom does it: the shop backend signs the
// customer id with its secret key; the browser passes id and signature along.
import { timingSafeEqual } from 'node:crypto';
import { customerHash } from '../sdk/node.js';

export { customerHash };

export function verifyCustomerHash(secretKey: string, customerId: string, hash: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(hash)) return false;
  return timingSafeEqual(Buffer.from(customerHash(secretKey, customerId), 'hex'), Buffer.from(hash, 'hex'));
}
