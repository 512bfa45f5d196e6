// The exporter's HTTP side, on node:http: `/metrics` in the Prometheus text format, `/` a
// page that links to it (as Prometheus's own exporters answer), `/-/healthy` (the path
// Prometheus itself uses) 200 while the run is on and 503 once it stops, 404 for the rest.
import {
	createServer,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';

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

	const server = createServer((request: IncomingMessage, response) => {
		const path = new URL(request.url ?? '/', 'http://exporter').pathname;
		const known = ['/', '/metrics', '/-/healthy'].includes(path);
		if (known && request.method !== 'GET' && request.method !== 'HEAD') {
			response.setHeader('Allow', 'GET, HEAD');
			answer(response, 405, 'text/plain; charset=utf-8', 'GET only\n');
			return;
		}

		switch (path) {
			case '/metrics': {
				scrapes++;
				source.metrics().then(
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
	});

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
