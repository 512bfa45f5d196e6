import test from 'ava';
import {holdReportRequests} from '../../source/adapters/report-requests.js';

function fakeProcess() {
	const listeners: Array<() => void> = [];
	return {
		on(_signal: 'SIGUSR1', listener: () => void) {
			listeners.push(listener);
		},
		usr1() {
			for (const listener of listeners) listener();
		},
		listeners: () => listeners.length,
	};
}

test('listens for SIGUSR1 at once; a request before anyone answers is kept (once) and answered when someone does', (t) => {
	const process = fakeProcess();
	const requests = holdReportRequests(process);
	t.is(process.listeners(), 1);
	process.usr1();
	process.usr1();
	let answered = 0;
	const stop = requests.answer(() => {
		answered++;
	});
	t.is(answered, 1);
	process.usr1();
	t.is(answered, 2);
	stop();
	process.usr1();
	t.is(answered, 2);
	// Still held after the answerer left: never the inspector.
	t.is(process.listeners(), 1);
});
