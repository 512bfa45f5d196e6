import {readFileSync} from 'node:fs';

/** A JSON file or text the test itself made, read as the shape the test expects. */
export function readJson<T>(pathOrText: string, {text = false} = {}): T {
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- test fixtures of known shape
	return JSON.parse(text ? pathOrText : readFileSync(pathOrText, 'utf8')) as T;
}
