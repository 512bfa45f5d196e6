import {RunFailure} from '../core/run-failure.js';

/**
 * An integration cannot start (its listen address is taken, say): the run does not begin,
 * and the message, which names the setting and the fix, is all the user sees (exit 1).
 */
export class IntegrationError extends RunFailure {
	override name = 'IntegrationError';
}
