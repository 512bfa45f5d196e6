// Byte-for-byte comparison with a golden file, failing with the first lines that differ.
import {Buffer} from 'node:buffer';
import type {ExecutionContext} from 'ava';
import {firstDifference} from './golden-run.js';

const decoder = new TextDecoder();

export function sameBytes(
	t: ExecutionContext,
	actual: Uint8Array | string,
	expected: Uint8Array,
	what: string,
): void {
	const bytes = typeof actual === 'string' ? Buffer.from(actual) : actual;
	if (Buffer.compare(bytes, expected) === 0) {
		t.pass();
		return;
	}

	t.fail(
		`${what} differs from its golden file (${bytes.length} bytes, expected ${expected.length}); if the change is meant, regenerate deliberately (test/golden/regenerate.ts) and review the diff:\n${firstDifference(decoder.decode(expected), decoder.decode(bytes))}`,
	);
}
