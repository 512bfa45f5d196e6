import {RunFailure} from '../core/run-failure.js';

/** An output file cannot be created or written: the CLI prints the message and exits 1. */
export class OutputError extends RunFailure {
	override name = 'OutputError';
}
