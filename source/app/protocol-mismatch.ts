// When the device plainly speaks another protocol than the one declared (another device,
// a wrong baud rate), the parse errors alone do not say what to do: after this many
// malformed lines in a row, a notice names the command that proposes a declaration. It is
// said once per stretch of bad lines: a line read as a reading ends the stretch, so a
// device that goes wrong again later is told about again.

/** Malformed lines in a row that make the notice. */
export const mismatchLines = 50;

export function mismatchNotice(port: string): string {
	return `none of the last ${mismatchLines} lines match the declared protocol; serialwatch init --from-port ${port} proposes one`;
}

type Numbered = {readonly line: number};

export type MismatchWatch = {
	/** A batch's readings, by raw.log line number; given before the batch's errors. */
	readings(rows: readonly Numbered[]): void;
	/** A batch's malformed lines, by raw.log line number; true when the notice is due. */
	errors(errors: readonly Numbered[]): boolean;
};

/** `after`: lines up to this number (an earlier run's, taken up) are not counted. */
export function createMismatchWatch(after: number): MismatchWatch {
	let lastReading = after;
	let run = 0;
	let said = false;
	return {
		readings(rows) {
			for (const {line} of rows) {
				if (line > lastReading) {
					lastReading = line;
					run = 0;
					said = false;
				}
			}
		},
		errors(errors) {
			for (const {line} of errors) {
				// A reading later in the same batch came after it.
				if (line > lastReading) {
					run++;
				}
			}

			if (run >= mismatchLines && !said) {
				said = true;
				return true;
			}

			return false;
		},
	};
}
