// One RFC 4180 record: fields joined by commas, ended by CRLF; a field holding a comma, a
// double quote, CR or LF is put in double quotes, its quotes doubled. The text csv-stringify
// gives with `record_delimiter: 'windows'` (without its per-call option normalisation, a
// replay's main CSV cost), but for a lone CR or LF, which it leaves bare and this quotes, so
// that a reader splitting records at either still sees one record.
const needsQuotes = /[",\r\n]/;

export function csvField(value: string | number): string {
	const text = String(value);
	return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(fields: ReadonlyArray<string | number>): string {
	let record = '';
	for (const [index, field] of fields.entries()) {
		record += index === 0 ? csvField(field) : `,${csvField(field)}`;
	}

	return `${record}\r\n`;
}
