// The built-in device's line protocol: `T:<°C>,V:<volts>,S:<LEVEL[_REASON]>`, one reading
// per line, every key exactly once in any order, finite numbers in a plausible physical
// range, a known level, nothing else. Its parser is the built-in profile's codec
// (compileCodec(builtinProfile(limits)) in codec.ts); this module keeps its limits and names.
export {escapeBytes} from './codec/escape-bytes.js';
export {statusLevels, type StatusLevel} from './codec/status-level.js';

export type ProtocolLimits = {
	maxLineBytes: number;
	temperatureRangeC: readonly [number, number];
	voltageRangeV: readonly [number, number];
};
