import {
  type ConfirmResponse,
  type DigestPreview,
  type DigestRunAccepted,
  type DigestRunRequest,
  type ErrorBody,
  type NotificationStats,
  type OwnerEraseResult,
  REQUEST_ID_HEADER,
  type SubscribeAccepted,
  type SubscribeRequest,
  type SubscriptionExport,
  type SubscriptionView,
  type UpdateSubscription,
} from '@cine/common';
import { HttpError } from '../http/http-errors';

/** How long the customer is asked to wait before retrying when the notifier is away. */
const RETRY_AFTER_SECONDS = 30;

/** What the customer reads when subscriptions cannot be reached; the page shows its own words too. */
export const NOTIFIER_DOWN_MESSAGE = 'Les abonnements par e-mail sont momentanément indisponibles. Réessayez dans quelques minutes.';
export const NOTIFIER_OFF_MESSAGE = 'Ce cinéma ne propose pas encore les abonnements par e-mail.';

/** Statuses of the notifier that are the customer's answer (bad input, a stale link…), passed on as they are. */
const CLIENT_STATUSES = new Set([400, 401, 403, 404, 409, 410, 413, 422, 429]);

/**
 * The notifier's internal HTTP API (common/src/contracts/notifications.contract.ts), the only
 * place the gateway talks to it. A token rides in a header (`Authorization: Bearer`) or in the
 * path of `/v1/unsubscribe/`, never in a query string.
 */
/** Whose digest the owner previews: a subscriber (by id), a sample taste (liked tconsts, comma-separated), or neither. */
export interface PreviewTaste {
  subscriber?: string;
  liked?: string;
}

export interface NotifierClient {
  subscribe(request: SubscribeRequest, requestId?: string): Promise<SubscribeAccepted>;
  confirm(token: string, requestId?: string): Promise<ConfirmResponse>;
  subscription(manageToken: string, requestId?: string): Promise<SubscriptionView>;
  update(manageToken: string, update: UpdateSubscription, requestId?: string): Promise<SubscriptionView>;
  erase(manageToken: string, requestId?: string): Promise<void>;
  export(manageToken: string, requestId?: string): Promise<SubscriptionExport>;
  unsubscribe(token: string, requestId?: string): Promise<void>;
  stats(requestId?: string): Promise<NotificationStats>;
  preview(taste: PreviewTaste, requestId?: string): Promise<DigestPreview>;
  runDigest(request: DigestRunRequest, requestId?: string): Promise<DigestRunAccepted>;
  eraseByAddress(email: string, requestId?: string): Promise<OwnerEraseResult>;
}

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  bearer?: string;
  requestId?: string | undefined;
}

/**
 * Over `fetch`: these calls are rare (a subscription, a change of preferences, an owner's
 * figures), so the hand-made keep-alive client the recommender's hot path needed
 * (recommender.repository.ts) would buy nothing here. Every call is bounded by `timeoutMs`; a
 * notifier that is down, slow or failing becomes a 503 with Retry-After in French.
 */
export class HttpNotifierClient implements NotifierClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  subscribe(request: SubscribeRequest, requestId?: string): Promise<SubscribeAccepted> {
    return this.json({ method: 'POST', path: '/v1/subscriptions', body: request, requestId });
  }

  confirm(token: string, requestId?: string): Promise<ConfirmResponse> {
    return this.json({ method: 'POST', path: '/v1/subscriptions/confirm', body: { token }, requestId });
  }

  subscription(manageToken: string, requestId?: string): Promise<SubscriptionView> {
    return this.json({ method: 'GET', path: '/v1/subscriptions/me', bearer: manageToken, requestId });
  }

  update(manageToken: string, update: UpdateSubscription, requestId?: string): Promise<SubscriptionView> {
    return this.json({ method: 'PUT', path: '/v1/subscriptions/me', body: update, bearer: manageToken, requestId });
  }

  async erase(manageToken: string, requestId?: string): Promise<void> {
    await this.send({ method: 'DELETE', path: '/v1/subscriptions/me', bearer: manageToken, requestId });
  }

  export(manageToken: string, requestId?: string): Promise<SubscriptionExport> {
    return this.json({ method: 'GET', path: '/v1/subscriptions/me/export', bearer: manageToken, requestId });
  }

  async unsubscribe(token: string, requestId?: string): Promise<void> {
    // The token was checked against TOKEN_PATTERN (URL-safe); encoded all the same.
    await this.send({ method: 'POST', path: `/v1/unsubscribe/${encodeURIComponent(token)}`, requestId });
  }

  stats(requestId?: string): Promise<NotificationStats> {
    return this.json({ method: 'GET', path: '/v1/admin/stats', requestId });
  }

  preview(taste: PreviewTaste, requestId?: string): Promise<DigestPreview> {
    const params = new URLSearchParams();
    if (taste.subscriber !== undefined) params.set('subscriber', taste.subscriber);
    if (taste.liked !== undefined) params.set('liked', taste.liked);
    const query = params.size === 0 ? '' : `?${params}`;
    return this.json({ method: 'GET', path: `/v1/admin/preview${query}`, requestId });
  }

  runDigest(request: DigestRunRequest, requestId?: string): Promise<DigestRunAccepted> {
    return this.json({ method: 'POST', path: '/v1/admin/digest', body: request, requestId });
  }

  eraseByAddress(email: string, requestId?: string): Promise<OwnerEraseResult> {
    return this.json({ method: 'POST', path: '/v1/admin/subscribers/erase', body: { email }, requestId });
  }

  private async json<T>(call: Call): Promise<T> {
    const text = await this.send(call);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HttpError(503, NOTIFIER_DOWN_MESSAGE, RETRY_AFTER_SECONDS);
    }
  }

  /** One exchange; the answer's text on a 2xx, an HttpError otherwise. */
  private async send(call: Call): Promise<string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.bearer !== undefined) headers.authorization = `Bearer ${call.bearer}`;
    if (call.requestId) headers[REQUEST_ID_HEADER] = call.requestId;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.base}${call.path}`, {
        method: call.method,
        headers,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch {
      // Down, refused, or slower than timeoutMs: the cause is the operator's, never the customer's.
      throw new HttpError(503, NOTIFIER_DOWN_MESSAGE, RETRY_AFTER_SECONDS);
    }
    if (res.ok) return text;
    if (CLIENT_STATUSES.has(res.status)) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new HttpError(res.status, messageOf(text) ?? defaultMessage(res.status), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
    }
    throw new HttpError(503, NOTIFIER_DOWN_MESSAGE, RETRY_AFTER_SECONDS);
  }
}

/** Without NOTIFIER_URL: every call is the same 503, which the page reads as "no subscriptions here". */
export class NoNotifier implements NotifierClient {
  private off(): never {
    throw new HttpError(503, NOTIFIER_OFF_MESSAGE);
  }
  subscribe = async () => this.off();
  confirm = async () => this.off();
  subscription = async () => this.off();
  update = async () => this.off();
  erase = async () => this.off();
  export = async () => this.off();
  unsubscribe = async () => this.off();
  stats = async () => this.off();
  preview = async () => this.off();
  runDigest = async () => this.off();
  eraseByAddress = async () => this.off();
}

function messageOf(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as Partial<ErrorBody> | null)?.message;
    return typeof message === 'string' && message.length > 0 ? message : undefined;
  } catch {
    return undefined;
  }
}

function defaultMessage(status: number): string {
  if (status === 401 || status === 403) return 'Ce lien n’est plus valable. Utilisez le lien du dernier e-mail reçu.';
  if (status === 404 || status === 410) return 'Ce lien n’est plus valable : il a déjà servi ou il a expiré.';
  if (status === 429) return 'Trop de demandes. Réessayez un peu plus tard.';
  return 'La demande n’a pas pu être acceptée.';
}
