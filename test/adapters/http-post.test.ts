import {createServer, type Server} from 'node:http';
import test from 'ava';
import {judgePost, post} from '../../source/adapters/http-post.js';

async function serve(
	handle: Parameters<typeof createServer>[1],
): Promise<{url: string; server: Server}> {
	const server = createServer(handle);
	await new Promise<void>((resolve) => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {url: `http://127.0.0.1:${port}/in`, server};
}

test('a POST gives the status, headers and answer; the body and headers arrive as sent', async (t) => {
	let received = '';
	const {url, server} = await serve((request, response) => {
		let body = '';
		request.on('data', (chunk: Uint8Array) => {
			body += chunk.toString();
		});
		request.on('end', () => {
			received = `${request.headers['content-type'] ?? ''} ${String(request.headers['x-key'])} ${body}`;
			response.writeHead(429, {'retry-after': '3'}).end('slow down');
		});
	});
	t.teardown(() => server.close());
	const result = await post(url, '{"a":1}', {
		contentType: 'application/json',
		headers: {'x-key': 'k'},
		timeoutMs: 2000,
	});
	t.like(result, {ok: true, status: 429, body: 'slow down'});
	t.is(result.ok && result.headers['retry-after'], '3');
	t.is(received, 'application/json k {"a":1}');
});

test('a refused connection and a peer that never answers resolve as failures, the latter within the timeout', async (t) => {
	const {url, server} = await serve(() => {
		// Never answers.
	});
	t.teardown(() => {
		server.closeAllConnections();
		server.close();
	});
	const started = performance.now();
	const hung = await post(url, 'x', {
		contentType: 'text/plain',
		timeoutMs: 300,
	});
	t.false(hung.ok);
	t.regex(hung.ok ? '' : hung.error, /no answer within 0.3 s/);
	t.true(performance.now() - started < 3000);

	const refused = await post('http://127.0.0.1:1/in', 'x', {
		contentType: 'text/plain',
		timeoutMs: 2000,
	});
	t.regex(refused.ok ? '' : refused.error, /ECONNREFUSED/);
});

test('a header value node:http refuses (a secret with a newline) is a failed attempt, not a throw', async (t) => {
	const result = await post('http://127.0.0.1:1/write', 'x', {
		contentType: 'text/plain',
		headers: {authorization: 'Token secret\r\nX-Other: 1'},
		timeoutMs: 1000,
	});
	t.false(result.ok);
	t.regex(result.ok ? '' : result.error, /Invalid character in header content/);
	t.notRegex(result.ok ? '' : result.error, /secret/);
});

test('an answer whose body never ends is read up to a cap: the status is the result and the connection is closed', async (t) => {
	const peer = {closed: false};
	const {url, server} = await serve((_request, response) => {
		response.writeHead(200);
		const chunk = new Uint8Array(65_536);
		const pour = () => {
			while (!peer.closed) {
				if (!response.write(chunk)) {
					response.once('drain', pour);
					return;
				}
			}
		};

		response.socket?.once('close', () => {
			peer.closed = true;
		});
		pour();
	});
	t.teardown(() => {
		server.closeAllConnections();
		server.close();
	});
	// Far longer than the test may take: only the cap can end it.
	const result = await post(url, 'x', {
		contentType: 'text/plain',
		timeoutMs: 60_000,
	});
	t.like(result, {ok: true, status: 200});
	t.true(result.ok && result.body.length <= 65_536);
	await t.notThrowsAsync(async () => {
		for (let waited = 0; !peer.closed; waited += 20) {
			if (waited > 30_000) {
				throw new Error('the connection is still open');
			}

			// eslint-disable-next-line no-await-in-loop
			await new Promise((resolve) => {
				setTimeout(resolve, 20);
			});
		}
	});
});

test('a redirect is not followed, and its detail says so', async (t) => {
	let requests = 0;
	const {url, server} = await serve((_request, response) => {
		requests++;
		response.writeHead(301, {location: url}).end();
	});
	t.teardown(() => server.close());
	const result = await post(url, 'x', {
		contentType: 'text/plain',
		timeoutMs: 5000,
	});
	t.is(requests, 1);
	t.regex(
		judgePost(result, Date.now()).detail,
		/^HTTP 301 \(a redirect, not followed/,
	);
});
