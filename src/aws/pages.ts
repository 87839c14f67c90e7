// The SDK's own paginators (`paginateListServices`, `paginateDescribeRules`, …) follow nextToken / Marker;
// this only gathers what their pages hold. A refused page throws from the iterator as `send` would, so a
// caller's error translation wraps the whole read.

/** Every item of every page, in the order the service gave them. */
export async function allPages<Page, Item>(
  pages: AsyncIterable<Page>,
  items: (page: Page) => Item[] | undefined,
): Promise<Item[]> {
  const all: Item[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}
