// Hostile HTTP clients on raw sockets, for the exporter's tests and measurements: many
// idle connections, a slowloris trickling its headers, a request with 1 MB of headers, and
// a POST streaming a huge body, a flood of scrapes. Each reports how the server ended the
// connection, and can be called off (at a test's teardown) whatever the server does.
import {Buffer} from 'node:buffer';
import {Agent, get as httpGet} from 'node:http';
import {connect, type Socket} from 'node:net';

export type Attack = {
	/** Resolves when the server has ended the connection (or cancel() did). */
	ended: Promise<Ending>;
	cancel(): void;
};

export type Ending = {
	/** ms from the connection to its end (closed or reset by the server). */
	afterMs: number;
	/** What the server answered before it ended the connection ('' when nothing). */
	answer: string;
	/** Bytes of the request the server took before the end. */
	sentBytes: number;
};

type Target = {host: string; port: number};

async function opened(target: Target): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = connect(target.port, target.host, () => {
			socket.off('error', reject);
			resolve(socket);
		});
		socket.once('error', reject);
	});
}

/** Resolves when the server ends the connection, with what it said; stops `feed` then. */
async function ending(
	socket: Socket,
	startedAt: number,
	sent: () => number,
): Promise<Ending> {
	let answer = '';
	socket.setEncoding('latin1');
	socket.on('data', (text: string) => {
		if (answer.length < 4096) {
			answer += text;
		}
	});
	return new Promise((resolve) => {
		const done = () => {
			socket.destroy();
			resolve({afterMs: Date.now() - startedAt, answer, sentBytes: sent()});
		};

		// The server's FIN, its RST, or our write failing once it has gone.
		socket.once('end', done);
		socket.once('close', done);
		socket.on('error', () => undefined);
	});
}

/**
 * `count` connections that each send the start of a request and then nothing: what a
 * flood of clients holds open. Resolves once all are connected; close() ends them.
 */
export async function holdConnections(
	target: Target,
	count: number,
): Promise<{
	/** How many the server has ended so far. */
	ended(): number;
	close(): void;
}> {
	const sockets: Socket[] = [];
	const state = {ended: 0};
	const results = await Promise.allSettled(
		Array.from({length: count}, async () => opened(target)),
	);
	for (const result of results) {
		if (result.status === 'rejected') {
			state.ended++;
			continue;
		}

		const socket = result.value;
		sockets.push(socket);
		socket.on('error', () => undefined);
		socket.once('close', () => {
			state.ended++;
		});
		socket.resume();
		socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
	}

	return {
		ended: () => state.ended,
		close() {
			for (const socket of sockets) socket.destroy();
		},
	};
}

/** A request whose headers come one byte every `everyMs`, for ever: a slowloris. */
export async function slowloris(
	target: Target,
	everyMs: number,
): Promise<Attack> {
	const socket = await opened(target);
	const startedAt = Date.now();
	const header = 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ';
	let sent = 0;
	const trickle = setInterval(() => {
		socket.write(sent < header.length ? header[sent]! : 'a');
		sent++;
	}, everyMs);
	const ended = ending(socket, startedAt, () => sent);
	void ended.then(() => {
		clearInterval(trickle);
	});
	return {
		ended,
		cancel() {
			socket.destroy();
		},
	};
}

/**
 * Writes `chunk` until `total` bytes are out, as fast as the server takes them; stops when
 * the socket is gone. `sent` counts what was handed to the socket.
 */
async function pour(
	socket: Socket,
	chunk: string | Uint8Array,
	total: number,
	counter: {sent: number},
): Promise<void> {
	while (counter.sent < total && !socket.destroyed) {
		counter.sent += chunk.length;
		if (!socket.write(chunk)) {
			// eslint-disable-next-line no-await-in-loop
			await new Promise((resolve) => {
				socket.once('drain', resolve);
				socket.once('close', resolve);
			});
		}
	}
}

/** One GET with `bytes` of headers in 1 KiB lines, sent as fast as the server takes them. */
export async function hugeHeaders(
	target: Target,
	bytes: number,
): Promise<Attack> {
	const socket = await opened(target);
	const counter = {sent: 0};
	const ended = ending(socket, Date.now(), () => counter.sent);
	socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
	void pour(socket, `X-Big: ${'a'.repeat(1015)}\r\n`, bytes, counter).then(
		() => {
			if (!socket.destroyed) {
				socket.write('\r\n');
			}
		},
	);
	return {
		ended,
		cancel() {
			socket.destroy();
		},
	};
}

/**
 * A request with a body of `bytes` (declared in Content-Length), streamed as fast as the
 * server takes it: how much the server let in shows in `sentBytes`.
 */
export async function hugeBody(
	target: Target,
	options: {method: string; path: string; bytes: number},
): Promise<Attack> {
	const socket = await opened(target);
	const counter = {sent: 0};
	const ended = ending(socket, Date.now(), () => counter.sent);
	socket.write(
		`${options.method} ${options.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${options.bytes}\r\n\r\n`,
	);
	void pour(socket, Buffer.alloc(65_536, 0x61), options.bytes, counter);
	return {
		ended,
		cancel() {
			socket.destroy();
		},
	};
}

/**
 * `connections` keep-alive clients, each asking for /metrics again as soon as it has the
 * answer: a scrape flood (what `wrk -c 500` does). stop() ends them.
 */
export function scrapeFlood(
	target: Target,
	connections: number,
): {
	/** Answers received so far, by status (0: the connection failed). */
	answers(): Map<number, number>;
	stop(): void;
} {
	const agent = new Agent({keepAlive: true, maxSockets: connections});
	const answers = new Map<number, number>();
	let stopped = false;
	const count = (status: number) => {
		answers.set(status, (answers.get(status) ?? 0) + 1);
	};

	const ask = () => {
		if (stopped) {
			return;
		}

		const request = httpGet(
			{host: target.host, port: target.port, path: '/metrics', agent},
			(response) => {
				response.resume();
				response.once('end', () => {
					count(response.statusCode ?? 0);
					ask();
				});
				response.once('error', () => {
					count(0);
					setTimeout(ask, 100);
				});
			},
		);
		request.once('error', () => {
			count(0);
			setTimeout(ask, 100);
		});
	};

	for (let index = 0; index < connections; index++) ask();
	return {
		answers: () => answers,
		stop() {
			stopped = true;
			agent.destroy();
		},
	};
}
