// The contract's timestamp parser, under the name this part's modules use.
export { parseTimestamp as parseTime } from '../api/time.ts';
