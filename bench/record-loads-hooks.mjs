// The loader hook for record-loads.mjs (hooks run on their own thread).
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.ECS_SHIP_LOADS) appendFileSync(process.env.ECS_SHIP_LOADS, `${url}\n`);
  return nextLoad(url, context);
}
