import process from 'node:process';

/** The environment of a person at a terminal: without CI's variables, which make serialwatch headless. */
export function terminalEnv(): NodeJS.ProcessEnv {
	return Object.fromEntries(
		Object.entries(process.env).filter(
			([key]) => key !== 'CI' && key !== 'CONTINUOUS_INTEGRATION',
		),
	);
}
