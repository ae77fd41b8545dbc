// A signed order (orders in, history import) as the loyalty event it is. Pure: the
// routes and the history service both map orders here, so neither imports the other.
import type { RecordedEvent } from '../store/store.js';
import type { OrderInput } from './schemas.js';

/** Maps a signed order to the loyalty event it is; the ids make resending harmless. */
export function eventOfOrder(order: OrderInput, receivedAt: string): RecordedEvent {
  const occurredAt = order.occurredAt ?? receivedAt;
  if (order.type === 'order.created') {
    return {
      id: `purchase:${order.orderId}`,
      type: 'purchase',
      customerId: order.customerId,
      occurredAt,
      properties: {
        orderId: order.orderId,
        total: order.total,
        currency: order.currency,
        ...(order.discountCode && { discountCode: order.discountCode }),
        ...(order.kudos_src && { kudos_src: order.kudos_src }),
        ...(order.kudos_ref && { kudos_ref: order.kudos_ref }),
        ...(order.kudos_reservation && { kudos_reservation: order.kudos_reservation }),
        ...(order.items && { items: order.items }),
      },
    };
  }
  return {
    // The refund's own identity, never its amount (two equal partial refunds are two refunds).
    id: order.refundId !== undefined ? `refund:${order.orderId}:${order.refundId}` : `refund:${order.orderId}:at:${new Date(order.occurredAt!).toISOString()}`,
    type: 'refund',
    customerId: order.customerId,
    occurredAt,
    properties: { orderId: order.orderId, amount: order.amount, ...(order.currency && { currency: order.currency }) },
  };
}
