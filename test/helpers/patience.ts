// How long a test waits for what must happen (a line on stderr, a file, a screen). It only
// ever bounds a test that is failing anyway, so it is generous: CI's machine is often busy,
// and a wait that gives up early fails a correct program. A test that asserts a time bound
// measures the time itself; it does not rely on a wait's deadline.
export const patienceMs = 60_000;

/** A wait's deadline: what the caller asked for, but never less than the patience. */
export const waitLimit = (timeoutMs?: number) =>
	Math.max(timeoutMs ?? 0, patienceMs);
