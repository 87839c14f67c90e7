// `node --import ./bench/record-loads.mjs ENTRY`: appends the URL of every module the process loads to the
// file named by ECS_SHIP_LOADS, so bundle_bytes counts what a deploy really reads.
import { register } from 'node:module';

register('./record-loads-hooks.mjs', import.meta.url);
