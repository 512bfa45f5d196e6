// One POST to an integration's peer (Alertmanager, PagerDuty, Slack, InfluxDB...), on
// node:http/https with keep-alive, a whole-request timeout and an abort signal. It never
// throws for an HTTP status: the caller decides by the status what to do next; a network
// failure (refused, reset, DNS, timeout) resolves as such too, so no caller forgets it.
import {Buffer} from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import {
	outcomeOf,
	parseRetryAfter,
	type Outcome,
} from '../core/delivery-policy.js';

export type PostResult =
	| {ok: true; status: number; headers: http.IncomingHttpHeaders; body: string}
	| {ok: false; error: string};

// Kept-alive sockets, few of them: a sink sends one request at a time.
const agents = {
	'http:': new http.Agent({keepAlive: true, maxSockets: 4}),
	'https:': new https.Agent({keepAlive: true, maxSockets: 4}),
};

// A peer's answer is read up to this much (an error page, a JSON status): enough to log.
const maxAnswerBytes = 65_536;

export async function post(
	url: string,
	body: string | Uint8Array,
	options: {
		contentType: string;
		headers?: Record<string, string>;
		timeoutMs: number;
		signal?: AbortSignal;
	},
): Promise<PostResult> {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return {ok: false, error: 'not a URL'};
	}

	const agent =
		target.protocol === 'https:' ? agents['https:'] : agents['http:'];
	const client = target.protocol === 'https:' ? https : http;
	const data = typeof body === 'string' ? Buffer.from(body) : body;
	try {
		// A header value node:http refuses (a secret from the environment with a CR or LF
		// in it) throws at once: it is a failed attempt like any other, never a crash.
		return await request({client, target, agent}, data, options);
	} catch (error) {
		return {
			ok: false,
			error: error instanceof Error ? error.message : String(error),
		};
	}
}

async function request(
	{
		client,
		target,
		agent,
	}: {client: typeof http | typeof https; target: URL; agent: http.Agent},
	data: Uint8Array,
	options: {
		contentType: string;
		headers?: Record<string, string>;
		timeoutMs: number;
		signal?: AbortSignal;
	},
): Promise<PostResult> {
	return new Promise((resolve) => {
		let settled = false;
		const settle = (result: PostResult) => {
			if (!settled) {
				settled = true;
				clearTimeout(timer);
				resolve(result);
			}
		};

		const request = client.request(
			target,
			{
				method: 'POST',
				agent,
				signal: options.signal,
				headers: {
					'content-type': options.contentType,
					'content-length': String(data.length),
					'user-agent': 'serialwatch',
					...options.headers,
				},
			},
			(response) => {
				const chunks: Uint8Array[] = [];
				let size = 0;
				const answered = () => ({
					ok: true as const,
					status: response.statusCode ?? 0,
					headers: response.headers,
					body: Buffer.concat(chunks).toString('utf8').slice(0, maxAnswerBytes),
				});
				response.on('data', (chunk: Uint8Array) => {
					chunks.push(chunk);
					size += chunk.length;
					if (size >= maxAnswerBytes) {
						// The status is the answer; a peer that streams a body for ever must not
						// hold the sink (or the CPU) until the timeout. The socket goes with it,
						// never back to the pool with an answer half read.
						settle(answered());
						response.destroy();
					}
				});
				response.on('end', () => {
					settle(answered());
				});
				response.on('error', (error) => {
					settle({ok: false, error: error.message});
				});
			},
		);
		// The whole request, not only a quiet socket: a peer that trickles must not hold a sink.
		const timer = setTimeout(() => {
			request.destroy(
				new Error(`no answer within ${seconds(options.timeoutMs)} s`),
			);
		}, options.timeoutMs);
		request.on('error', (error: NodeJS.ErrnoException) => {
			settle({
				ok: false,
				error:
					error.code === 'ABORT_ERR'
						? 'given up at the stop, before the peer answered'
						: error.code
							? `${error.code}: ${error.message}`
							: error.message,
			});
		});
		request.end(data);
	});
}

function seconds(ms: number): string {
	return String(Math.round(ms / 100) / 10);
}

/** What a status says beyond its number, where it needs saying. */
export function statusNote(status: number): string {
	return status >= 300 && status < 400
		? ' (a redirect, not followed: set the final URL in the config)'
		: '';
}

export type Attempt = {
	outcome: Outcome;
	/** `HTTP 503: busy` or the network failure, for logs and health. */
	detail: string;
	retryAfterMs?: number | undefined;
};

/** What a POST's result means for the next step. */
export function judgePost(result: PostResult, now: number): Attempt {
	if (!result.ok) {
		return {outcome: 'retry', detail: result.error};
	}

	const header = result.headers['retry-after'];
	const body = result.body.trim().replaceAll(/\s+/g, ' ').slice(0, 200);
	return {
		outcome: outcomeOf(result.status),
		detail: `HTTP ${result.status}${statusNote(result.status)}${body === '' ? '' : `: ${body}`}`,
		retryAfterMs: parseRetryAfter(
			typeof header === 'string' ? header : undefined,
			now,
		),
	};
}
