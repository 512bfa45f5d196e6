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

// A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
// Injection"): `=HYPERLINK(...)`, `@SUM(...)`, `+cmd|...`, a tab or CR before any of them.
// A leading `'` is guarded too: spreadsheets hide one, so the guard is what they hide, and
// unguardText() can tell a guard from a device's own apostrophe.
const guarded = /^[=+\-@\t\r']/;

/** Whether a text cell gets a leading `'`; numbers are written as numbers, never text. */
export function needsGuard(text: string): boolean {
	return guarded.test(text);
}

/**
 * A cell of text a device sent: one that would start like a formula (or with `'`) gets a
 * leading `'`, which spreadsheets read as "this is text" and do not show; then quoted as
 * csvField does.
 */
export function csvText(text: string): string {
	return csvField(needsGuard(text) ? `'${text}` : text);
}

/** The device's text of a cell csvText wrote (after the CSV's own unquoting). */
export function unguardText(cell: string): string {
	return cell.startsWith("'") && needsGuard(cell.slice(1, 2))
		? cell.slice(1)
		: cell;
}
