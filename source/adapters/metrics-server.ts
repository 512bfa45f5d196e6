// The exporter's HTTP side, on node:http: `/metrics` in the Prometheus text format, `/` a
// page that links to it (as Prometheus's own exporters answer), `/-/healthy` (the path
// Prometheus itself uses) 200 while the run is on and 503 once it stops, 404 for the rest.
// It shares the monitor's event loop, so whoever can reach it must not be able to slow the
// logging or grow its memory: bounded headers, connections and time per request, no request
// body ever read, and one formatting of the metrics serves every scrape for a moment.
import {
	createServer,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import {createTokenBucket} from '../core/token-bucket.js';

export type MetricsSource = {
	readonly contentType: string;
	metrics(): Promise<string>;
};

export type MetricsServer = {
	/** host:port it listens on, the real port when 0 was asked for. */
	readonly address: string;
	/** /metrics requests answered so far. */
	scrapes(): number;
	close(): Promise<void>;
};

/** What one client, or many, can hold of the server; each bound is Node's own setting. */
export const serverLimits = {
	/** A request's headers must be whole by then (a slowloris is cut off). */
	headersTimeoutMs: 5000,
	/** A whole request, headers and all. */
	requestTimeoutMs: 10_000,
	/** An idle kept-alive connection between scrapes. */
	keepAliveTimeoutMs: 5000,
	/**
	 * A connection that sends nothing at all, which the two above never end. Shorter than
	 * headersTimeoutMs: on Node 20 a longer one was seen never to fire.
	 */
	idleTimeoutMs: 4000,
	/** How often Node checks the two request timeouts above (its default is 30 s). */
	checkEveryMs: 1000,
	/** Headers larger than this are answered 431 and the connection closed. */
	maxHeaderBytes: 8192,
	/** Connections past this are closed as they come: a flood cannot take every descriptor. */
	maxConnections: 64,
	maxRequestsPerSocket: 100,
	/** Requests answered a second, in bursts of `burst`; the rest get a 429 and a close. */
	requestsPerSecond: 10,
	burst: 20,
	/** One formatting of the metrics answers every scrape within this long. */
	reuseMs: 250,
} as const;

const homePage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>serialwatch exporter</title></head>
<body>
<h1>serialwatch exporter</h1>
<p><a href="/metrics">Metrics</a> · <a href="/-/healthy">Health</a></p>
</body>
</html>
`;

/** `127.0.0.1:9464` -> host and port; `[::1]:9464` -> `::1`; `:9464` -> every address. */
export function parseListenAddress(listen: string): {
	host: string | undefined;
	port: number;
} {
	const colon = listen.lastIndexOf(':');
	const host = listen.slice(0, colon).replace(/^\[(.*)]$/, '$1');
	return {
		host: host === '' ? undefined : host,
		port: Number(listen.slice(colon + 1)),
	};
}

/** Rejects with the listen error (its `code`, EADDRINUSE say) when the address cannot be had. */
export async function serveMetrics(
	listen: string,
	source: MetricsSource,
	healthy: () => boolean,
): Promise<MetricsServer> {
	let scrapes = 0;
	const answer = (
		response: ServerResponse,
		status: number,
		contentType: string,
		body: string,
	) => {
		response.writeHead(status, {'Content-Type': contentType});
		response.end(body);
	};

	// Concurrent and back-to-back scrapes share one formatting (a flood of them would
	// otherwise format the registry hundreds of times a second on the serial line's thread).
	let formatted: {at: number; text: Promise<string>} | undefined;
	const metricsText = async () => {
		const now = Date.now();
		if (
			formatted === undefined ||
			now - formatted.at >= serverLimits.reuseMs ||
			now < formatted.at
		) {
			formatted = {at: now, text: source.metrics()};
		}

		return formatted.text;
	};

	const bucket = createTokenBucket(
		{capacity: serverLimits.burst, perSecond: serverLimits.requestsPerSecond},
		Date.now(),
	);
	const server = createServer(
		{
			headersTimeout: serverLimits.headersTimeoutMs,
			requestTimeout: serverLimits.requestTimeoutMs,
			keepAliveTimeout: serverLimits.keepAliveTimeoutMs,
			connectionsCheckingInterval: serverLimits.checkEveryMs,
			maxHeaderSize: serverLimits.maxHeaderBytes,
		},
		(request: IncomingMessage, response) => {
			const path = new URL(request.url ?? '/', 'http://exporter').pathname;
			const readOnly = request.method === 'GET' || request.method === 'HEAD';
			const withBody =
				(request.headers['content-length'] ?? '0') !== '0' ||
				request.headers['transfer-encoding'] !== undefined;
			const waitMs = bucket.take(Date.now());
			if (!readOnly || withBody || waitMs > 0) {
				// A body is never read: Node would read it all to keep the connection (a 1 GB
				// POST took 22 s of the event loop), so the connection ends with the answer.
				response.shouldKeepAlive = false;
				response.on('finish', () => {
					request.socket.destroy();
				});
			}

			if (waitMs > 0) {
				response.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
				answer(
					response,
					429,
					'text/plain; charset=utf-8',
					'too many requests\n',
				);
				return;
			}

			const known = ['/', '/metrics', '/-/healthy'].includes(path);
			if (known && !readOnly) {
				response.setHeader('Allow', 'GET, HEAD');
				answer(response, 405, 'text/plain; charset=utf-8', 'GET only\n');
				return;
			}

			if (withBody) {
				answer(
					response,
					413,
					'text/plain; charset=utf-8',
					'a request body is not read\n',
				);
				return;
			}

			serve(path, response);
		},
	);
	server.maxConnections = serverLimits.maxConnections;
	server.maxRequestsPerSocket = serverLimits.maxRequestsPerSocket;
	// With no 'timeout' listener, Node destroys the socket.
	server.setTimeout(serverLimits.idleTimeoutMs);

	function serve(path: string, response: ServerResponse) {
		switch (path) {
			case '/metrics': {
				scrapes++;
				metricsText().then(
					(text) => {
						answer(response, 200, source.contentType, text);
					},
					(error: unknown) => {
						answer(
							response,
							500,
							'text/plain; charset=utf-8',
							`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`,
						);
					},
				);
				return;
			}

			case '/': {
				answer(response, 200, 'text/html; charset=utf-8', homePage);
				return;
			}

			case '/-/healthy': {
				const ok = healthy();
				answer(
					response,
					ok ? 200 : 503,
					'text/plain; charset=utf-8',
					ok ? 'serialwatch is running.\n' : 'serialwatch is stopping.\n',
				);
				return;
			}

			default: {
				answer(response, 404, 'text/plain; charset=utf-8', 'not found\n');
			}
		}
	}

	const {host, port} = parseListenAddress(listen);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen({host, port}, () => {
			server.off('error', reject);
			resolve();
		});
	});

	// A failed accept (EMFILE, say) must not end the run: the next scrape tries again.
	server.on('error', () => undefined);
	const bound = server.address();
	if (bound === null || typeof bound === 'string') {
		throw new Error(`${listen} is not a TCP address`);
	}

	const shownHost =
		bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
	return {
		address: `${shownHost}:${bound.port}`,
		scrapes: () => scrapes,
		async close() {
			const closed = new Promise<void>((resolve) => {
				server.close(() => {
					resolve();
				});
			});
			// A scraper's keep-alive connection would hold close() open until it times out.
			server.closeAllConnections();
			await closed;
		},
	};
}
