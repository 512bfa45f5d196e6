// A local HTTP server that plays PagerDuty, Slack and a webhook receiver for the alert
// sinks' tests: each path answers from its own script of faults (a 5xx, a 429 with
// Retry-After, a hang, a 4xx), then 202; what it accepted (answered 2xx) is kept per path.
import {createServer, type IncomingMessage, type Server} from 'node:http';
import type {ExecutionContext} from 'ava';

export type Fault =
	{status: number; retryAfter?: string; body?: string} | 'hang';

export type Received = {
	path: string;
	body: string;
	headers: IncomingMessage['headers'];
	at: number;
};

export type AlertPeer = {
	url: string;
	port: number;
	/** Requests answered 2xx, in order. */
	accepted: Received[];
	/** Every request, whatever it was answered. */
	all: Received[];
	/** The faults a path answers its next requests with, in order. */
	script(path: string, faults: Fault[]): void;
	/** Answers every request to come with a hang until undone. */
	hangAll(on: boolean): void;
	close(): Promise<void>;
};

export async function startAlertPeer(
	t: ExecutionContext,
	port = 0,
): Promise<AlertPeer> {
	const scripts = new Map<string, Fault[]>();
	const accepted: Received[] = [];
	const all: Received[] = [];
	let hangingAll = false;
	const server: Server = createServer((request, response) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk: string) => {
			body += chunk;
		});
		request.on('end', () => {
			const path = request.url ?? '/';
			const received = {path, body, headers: request.headers, at: Date.now()};
			all.push(received);
			const fault = hangingAll ? 'hang' : scripts.get(path)?.shift();
			if (fault === 'hang') {
				return;
			}

			if (fault === undefined || fault.status < 300) {
				accepted.push(received);
				response.writeHead(fault?.status ?? 202).end('{"status":"success"}');
				return;
			}

			response
				.writeHead(fault.status, {
					...(fault.retryAfter !== undefined && {
						'retry-after': fault.retryAfter,
					}),
				})
				.end(fault.body ?? '');
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	const address = server.address();
	const bound = typeof address === 'object' && address ? address.port : 0;
	const close = async () => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => {
			server.close(() => {
				resolve();
			});
		});
	};

	t.teardown(close);
	return {
		url: `http://127.0.0.1:${bound}`,
		port: bound,
		accepted,
		all,
		script(path, faults) {
			scripts.set(path, [...faults]);
		},
		hangAll(on) {
			hangingAll = on;
		},
		close,
	};
}
