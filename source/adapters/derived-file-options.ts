// How a file derived from raw.log (the CSV, the error log) is opened.
export type DerivedFileOptions = {
	/** Start the file anew (replay rebuilds it); otherwise a run appends to it. */
	truncate?: boolean;
	/**
	 * Hold appended records in a large buffer until it fills (or flush(), or close()),
	 * instead of handing each append to the OS at once, as a live run does so that
	 * `tail -f` follows the device. Replay rebuilds files nobody follows.
	 */
	batched?: boolean;
};
