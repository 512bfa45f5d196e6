// A local HTTP server that plays PagerDuty, Slack and a webhook receiver for the alert
// sinks' tests: each path answers from its own script of faults (a 5xx, a 429 with
// Retry-After, a hang, a 4xx, or a hostile answer: a body that never ends, headers that
// never end, a redirect to itself), then 202; what it accepted (answered 2xx) is kept per
// path, and how each hostile answer ended.
import {Buffer} from 'node:buffer';
import {
	createServer,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type {ExecutionContext} from 'ava';

export type Fault =
	| {status: number; retryAfter?: string; body?: string}
	| 'hang'
	/** 200 and a chunked body streamed as fast as the client takes it, for ever. */
	| 'endless-body'
	/** A status line, then a header byte every 200 ms, for ever. */
	| 'endless-headers'
	/** 301 to the same URL. */
	| 'redirect-self';

/** How a hostile answer ended: the client closed its connection after taking so much. */
export type Hostile = {
	fault: Fault;
	path: string;
	/** Bytes written to the client so far. */
	bytes: number;
	/** ms from the request to the client's close; undefined while still open. */
	closedAfterMs?: number;
};

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
	/** Every hostile answer given, in order. */
	hostile: Hostile[];
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
	const hostile: Hostile[] = [];
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

			if (
				fault === 'endless-body' ||
				fault === 'endless-headers' ||
				fault === 'redirect-self'
			) {
				answerHostile(request, response, fault, hostile);
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
		hostile,
		script(path, faults) {
			scripts.set(path, [...faults]);
		},
		hangAll(on) {
			hangingAll = on;
		},
		close,
	};
}

function answerHostile(
	request: IncomingMessage,
	response: ServerResponse,
	fault: 'endless-body' | 'endless-headers' | 'redirect-self',
	log: Hostile[],
) {
	const path = request.url ?? '/';
	const entry: Hostile = {fault, path, bytes: 0};
	log.push(entry);
	const startedAt = Date.now();
	const {socket} = response;
	const state = {stopped: false};
	socket?.once('close', () => {
		state.stopped = true;
		entry.closedAfterMs = Date.now() - startedAt;
	});
	if (fault === 'redirect-self') {
		response
			.writeHead(301, {location: `http://${request.headers.host}${path}`})
			.end('moved\n');
		return;
	}

	if (fault === 'endless-headers' && socket) {
		socket.write('HTTP/1.1 200 OK\r\nX-Endless: ');
		const timer = setInterval(() => {
			if (state.stopped) {
				clearInterval(timer);
				return;
			}

			socket.write('a');
			entry.bytes++;
		}, 200);
		return;
	}

	response.writeHead(200, {'content-type': 'application/json'});
	const chunk = Buffer.alloc(65_536, 0x61);
	const pour = () => {
		while (!state.stopped) {
			entry.bytes += chunk.length;
			if (!response.write(chunk)) {
				response.once('drain', pour);
				return;
			}
		}
	};

	pour();
}
