// One function that calls several hooks in order, for the detector's per-line calls into
// its rules. A loop over the hooks is one call site seeing every rule's function, which
// the compiler can neither inline nor call directly; the generated function has a call
// site of its own per hook, each seeing one function, so each is inlined.
/**
 * Calls `hooks` in order with the arguments it is given (up to three). `generate: false`
 * gives the loop, as does a process that disallows code generation from strings.
 */
export function fanOut<H extends (...args: never[]) => void>(
	hooks: readonly H[],
	{generate = true}: {generate?: boolean} = {},
): H {
	if (hooks.length === 1) {
		return hooks[0]!;
	}

	// The hooks' own type: it calls them with the arguments it is given.
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
	const loop = ((a: never, b: never, c: never) => {
		for (const hook of hooks) {
			hook(a, b, c);
		}
	}) as unknown as H;
	if (!generate || hooks.length === 0) {
		return loop;
	}

	try {
		// Only argument names and indexes are in the source, never a rule's text.
		// eslint-disable-next-line no-new-func, @typescript-eslint/no-unsafe-type-assertion
		const compile = new Function(
			'hooks',
			[
				...hooks.map((_, index) => `const hook${index} = hooks[${index}];`),
				'return function (a, b, c) {',
				...hooks.map((_, index) => `hook${index}(a, b, c);`),
				'};',
			].join('\n'),
		) as (hooks: readonly H[]) => H;
		return compile(hooks);
	} catch {
		// Code generation from strings is disallowed in this process
		// (--disallow-code-generation-from-strings): the loop calls the same hooks.
		return loop;
	}
}
