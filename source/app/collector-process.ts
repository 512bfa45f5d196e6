// The collector's process, forked by the dashboard: its channel is the IPC channel, its
// stop is a signal or the screen process going away.
import process from 'node:process';
import {holdReportRequests} from '../adapters/report-requests.js';

// First, before any import can take time: without a listener, Node.js takes SIGUSR1 to
// start its inspector. A report asked for this early is written once the run is up.
const reportRequests = holdReportRequests(process);
// Nobody may be left to read these (the screen process was killed): never die of EPIPE.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
const stopping = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		stopping.abort();
	});
}

const {runCollector} = await import('./collector.js');
const {openProcessChannel} = await import('./collector-channel.js');
const ipc = await openProcessChannel(process);
reportRequests.answer(() => {
	ipc.inject({type: 'report'});
});
await runCollector(ipc.input, ipc.channel, stopping.signal);
await ipc.flushed();
// Whatever a library left running (a retry timer, a watcher) must not keep a finished run alive.
// eslint-disable-next-line unicorn/no-process-exit -- this file is the process's entry
process.exit(0);
