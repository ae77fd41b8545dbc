// Binary search over arrays kept sorted: the document index's entries and the KPI roll-up's
// orders and times (each insert or lookup O(log n), however long a customer's history).

/** The first index of `list` whose item is not `before` the sought position (list.length when all are). */
export function lowerBound<T>(list: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
