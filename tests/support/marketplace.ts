/** Everything a marketplace serves for a resource, page by page, as a client would read it. */
export async function fetchAllFromMarketplace<T>(
  marketplace: { url: string; token: string },
  resource: 'orders' | 'requests',
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '200' });
    if (cursor !== null) query.set('cursor', cursor);
    const response = await fetch(`${marketplace.url}/v1/${resource}?${query.toString()}`, {
      headers: { Authorization: `Bearer ${marketplace.token}` },
    });
    if (!response.ok) throw new Error(`GET /v1/${resource}: HTTP ${response.status}`);
    const page = (await response.json()) as { items: T[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

/** (respondBy, id) ascending: the queue's "time left" order. */
export function byTimeLeft(a: { respondBy: string; id: string }, b: { respondBy: string; id: string }): number {
  if (a.respondBy !== b.respondBy) return a.respondBy < b.respondBy ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A marketplace's records as one desk store holds them: sync stamps every order and request with
 * the desk store's id (the marketplace's own store ids are not the desk's).
 */
export function asDeskStore<T extends { id: string; storeId: string }>(records: readonly T[], storeId: string): T[] {
  return records.map((record) => ({ ...record, storeId })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
