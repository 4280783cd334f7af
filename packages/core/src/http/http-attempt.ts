// One attempt of one request: send it under its timeout, read the body under the size cap, map
// a failure to the library's errors, parse and validate the body. Retries are http-client.ts's.
import type { GenericSchema } from 'valibot';
import { ConnectorRequestError, IssuePayloadContractError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import type { HttpMethod, HttpRequestOptions, HttpResponse } from '../protocol/http-client';
import type { Logger } from '../protocol/logger';
import {
  classifyFailure,
  HttpResponseError,
  networkError,
  redactSecrets,
  statusErrorMessage,
  timeoutError,
} from './http-errors';
import type { KySend } from './ky-transport';
import { BodyTooLargeError, formatBytes, readBodyText } from './response-body';
import { ResponseContractReason, validateResponseBody } from './response-validation';

/** What every attempt of a client shares. */
export interface AttemptContext {
  readonly provider: string;
  readonly defaultHeaders: Readonly<Record<string, string>>;
  readonly logger: Logger;
  readonly maxResponseBytes: number;
  readonly now: () => number;
  readonly transport: () => Promise<KySend>;
}

/** One attempt's request line, secrets and time limits. */
export interface Attempt {
  method: HttpMethod;
  url: string;
  safeUrl: string;
  secrets: readonly string[];
  /** This attempt's timeout; `deadlineMs` when the request's deadline cut it shorter. */
  timeoutMs: number;
  deadlineMs: number | null;
}

/** Sends `request` once; resolves with the (validated) response or throws the library's error. */
export async function attemptOnce<T>(
  context: AttemptContext,
  request: HttpRequestOptions<T>,
  attempt: Attempt,
): Promise<HttpResponse<T>> {
  // Loaded before the timer starts: the first request's import of ky is not the server's time.
  const send = await context.transport();
  const maxBytes = request.maxResponseBytes ?? context.maxResponseBytes;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('timeout'));
  }, attempt.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
  const failure = (error: unknown) => transportFailure(context, request, attempt, timedOut, error);
  const started = context.now();
  try {
    let response: Response;
    try {
      response = await send(attempt.url, {
        method: attempt.method,
        headers: { ...context.defaultHeaders, ...(request.headers ?? {}) },
        ...(request.json !== undefined ? { json: request.json } : {}),
        signal,
      });
    } catch (error) {
      throw failure(error);
    }
    const text = await readBody(context, attempt, response, maxBytes, failure);
    context.logger.debug(
      `${attempt.method} ${attempt.safeUrl} -> ${response.status} (${context.now() - started} ms)`,
    );
    return toHttpResponse(context, request, attempt, response, text);
  } finally {
    clearTimeout(timer);
  }
}

async function readBody(
  context: AttemptContext,
  attempt: Attempt,
  response: Response,
  maxBytes: number,
  failure: (error: unknown) => unknown,
): Promise<string> {
  try {
    return await readBodyText(response, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new ConnectorRequestError(
        `Response body of ${attempt.method} ${attempt.safeUrl} exceeds the ${formatBytes(maxBytes)} limit (HTTP ${response.status}); ` +
          'raise maxResponseBytes or request smaller pages.',
        { statusCode: response.status, failureClass: FailureClass.NON_RETRYABLE, provider: context.provider },
      );
    }
    throw failure(error);
  }
}

/** A status the request does not accept throws; a 2xx body is checked and validated. */
function toHttpResponse<T>(
  context: AttemptContext,
  request: HttpRequestOptions<T>,
  attempt: Attempt,
  response: Response,
  text: string,
): HttpResponse<T> {
  const accepted = request.acceptStatuses?.includes(response.status) ?? false;
  if (!response.ok && !accepted) throw statusFailure(context, attempt, response, text);
  const data = parseBody(context, request, attempt, response, text, !response.ok);
  const url = response.url || attempt.url;
  if (response.ok) {
    request.bodyCheck?.(data, { status: response.status, headers: response.headers });
    if (request.schema !== undefined) {
      const validated = validateResponseBody(request.schema as GenericSchema<unknown, T>, data, {
        provider: context.provider,
        request: `${attempt.method} ${attempt.safeUrl}`,
      });
      return { status: response.status, headers: response.headers, data: validated, url };
    }
  }
  return { status: response.status, headers: response.headers, data: data as T, url };
}

/** What a failed send or body read becomes: timeout, the caller's abort reason, or a network error. */
function transportFailure(
  context: AttemptContext,
  request: HttpRequestOptions<unknown>,
  attempt: Attempt,
  timedOut: boolean,
  error: unknown,
): unknown {
  const { method, safeUrl } = attempt;
  const provider = context.provider;
  if (timedOut) {
    return attempt.deadlineMs === null
      ? timeoutError(method, safeUrl, attempt.timeoutMs, provider)
      : timeoutError(method, safeUrl, attempt.deadlineMs, provider, 'operation');
  }
  if (request.signal?.aborted) return request.signal.reason;
  if (isLibraryError(error)) return error;
  return networkError(method, safeUrl, error, provider, attempt.secrets);
}

function statusFailure(
  context: AttemptContext,
  attempt: Attempt,
  response: Response,
  text: string,
): HttpResponseError {
  const redacted = redactSecrets(text, attempt.secrets);
  let parsed: unknown = null;
  try {
    parsed = redacted === '' ? null : JSON.parse(redacted);
  } catch {
    parsed = redacted.slice(0, 2000);
  }
  const { failureClass, retryAfterSeconds } = classifyFailure(
    response.status,
    response.headers,
    parsed,
    redacted,
    context.now(),
  );
  return new HttpResponseError(
    statusErrorMessage(response.status, attempt.method, attempt.safeUrl, redacted),
    {
      statusCode: response.status,
      failureClass,
      retryAfterSeconds,
      provider: context.provider,
      method: attempt.method,
      url: attempt.safeUrl,
      responseBody: parsed,
    },
  );
}

function parseBody(
  context: AttemptContext,
  request: HttpRequestOptions<unknown>,
  attempt: Attempt,
  response: Response,
  text: string,
  lenient: boolean,
): unknown {
  if (request.responseType === 'text') return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    if (lenient) return redactSecrets(text, attempt.secrets);
    const contentType = response.headers.get('content-type') ?? 'no content-type';
    throw new IssuePayloadContractError(
      `Expected a JSON body from ${attempt.method} ${attempt.safeUrl} (HTTP ${response.status}, ${contentType}), got: ` +
        redactSecrets(text.slice(0, 200).replace(/\s+/g, ' '), attempt.secrets),
      {
        provider: context.provider,
        kind: 'response',
        fieldPath: '<root>',
        reason: ResponseContractReason.INVALID_JSON,
      },
    );
  }
}

function isLibraryError(error: unknown): boolean {
  return ConnectorRequestError.isInstance(error) || IssuePayloadContractError.isInstance(error);
}
