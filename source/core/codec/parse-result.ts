import type {Reading} from '../device-profile.js';

/**
 * What one line is: a reading; malformed, with the reason; or `ignored`, a line that is
 * neither (the header line a CSV device prints): it shows the device is alive, and is no
 * reading and no parse error.
 */
export type ParseResult =
	| {ok: true; reading: Reading}
	| {ok: false; reason: string}
	| {ok: 'ignored'; note: string};

/** Reads lines of the common shape of a profile in place: see Codec.readInPlace. */
export type InPlaceReader = (
	bytes: Uint8Array,
	start: number,
	end: number,
) => Reading | undefined;

/** One format's reading of a line's text, after the checks every format shares. */
export type TextParser = (text: string) => ParseResult;
