// The webhook side of a fake tracker: who subscribed, what was sent to them, and waiting for it.
// Each vendor fake owns one `FakeWebhooks` and calls `emit` where an issue changes; the vendor's
// `WebhookFormat` adds its headers and signature, so this file knows no vendor.
import { randomUUID } from 'node:crypto';
import { postWebhook } from './webhook-sender';

/** What a test registers: the receiver, its secret, and optionally which vendor events it wants. */
export interface FakeWebhookSubscriptionInit {
  /** The receiver's URL (http, loopback). */
  readonly url: string;
  /** The shared secret the deliveries are signed (or authenticated) with. */
  readonly secret: string;
  /** Vendor event names to send (e.g. `issues`, `Issue Hook`, `jira:issue_updated`); default all. */
  readonly events?: readonly string[];
  /** Retry a failed delivery (no answer or a non-2xx status) up to 3 more times; default false. */
  readonly retry?: boolean;
  /**
   * Where the hook is configured, for vendors whose hooks belong to one container (GitLab: the
   * project id or path); default every change the fake sees.
   */
  readonly scope?: string;
  /**
   * Azure DevOps: send the secret as this custom HTTP header's value instead of as HTTP Basic
   * `username:password` credentials (a subscription's "HTTP headers" setting).
   */
  readonly header?: string;
}

/** A subscription as the fake keeps it. */
export interface FakeWebhookSubscription extends FakeWebhookSubscriptionInit {
  readonly id: string;
}

/** One delivery the fake sent (or tried to), for assertions. */
export interface FakeWebhookDelivery {
  /** The delivery id the vendor header carries (GitHub `X-GitHub-Delivery`, GitLab `Idempotency-Key`, ...). */
  readonly id: string;
  readonly url: string;
  /** The subscription it was sent for. */
  readonly subscriptionId: string;
  /** The vendor event name, e.g. `issues`. */
  readonly event: string;
  /** The headers sent (signature included). */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body sent. */
  readonly body: string;
  /** The receiver's last status, or null while in flight or when no answer came. */
  readonly status: number | null;
  /** Why the last attempt got no answer, or null. */
  readonly error: string | null;
  /** How many times it was sent. */
  readonly attempts: number;
  /** The envelope the headers are built from (again for each attempt). */
  readonly envelope: WebhookEnvelope;
}

/** What a vendor format is given to sign one delivery. */
export interface WebhookEnvelope {
  readonly event: string;
  readonly deliveryId: string;
  /** The same for every delivery of one change (GitLab `X-Gitlab-Event-UUID`). */
  readonly changeId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly subscription: FakeWebhookSubscription;
  /** The exact body text (signatures cover these bytes). */
  readonly body: string;
}

/** A vendor's delivery id style and headers. */
export interface WebhookFormat {
  /** A fresh delivery id (default a UUID). */
  newDeliveryId?(): string;
  /** The headers of one delivery, signature included. */
  headers(envelope: WebhookEnvelope): Record<string, string>;
}

/** What a payload builder learns about the delivery it builds a body for. */
export interface WebhookBodyContext {
  readonly deliveryId: string;
  readonly subscription: FakeWebhookSubscription;
  /** Wall-clock send time (vendors that sign a timestamp are checked against real time). */
  readonly sentAt: Date;
}

const RETRIES = 3;
const RETRY_DELAY_MS = 50;

/** Registered subscribers and sent deliveries of one fake; the accessor tests know as `fake.webhooks`. */
export class FakeWebhooks {
  readonly #format: WebhookFormat;
  readonly #subscriptions = new Map<string, FakeWebhookSubscription>();
  readonly #deliveries: FakeWebhookDelivery[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #nextSubscription = 1;

  constructor(format: WebhookFormat) {
    this.#format = format;
  }

  /** Registers a receiver; every later issue change is POSTed to it, signed with `secret`. */
  subscribe(init: FakeWebhookSubscriptionInit): { id: string; unsubscribe(): void } {
    if (!/^https?:\/\//.test(init.url)) throw new Error(`webhook url must be http(s), got ${init.url}`);
    if (typeof init.secret !== 'string') throw new Error('webhook secret must be a string');
    const id = String(this.#nextSubscription++);
    this.#subscriptions.set(id, { ...init, id });
    return { id, unsubscribe: () => void this.#subscriptions.delete(id) };
  }

  /** True when someone listens, so callers can skip building payloads nobody receives. */
  get active(): boolean {
    return this.#subscriptions.size > 0;
  }

  /** Every delivery so far, oldest first (a snapshot). */
  deliveries(): readonly FakeWebhookDelivery[] {
    return this.#deliveries.map((delivery) => ({ ...delivery }));
  }

  /** Resolves once every delivery sent so far got an answer or failed (retries included). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /**
   * Sends event `event` to every subscriber that wants it. `build` runs now, once per subscriber
   * (so the body shows the issue as it is at the change), and returns the JSON body. `scopes`
   * name where the change happened (matched against `subscribe({ scope })`); null: everywhere.
   */
  emit(
    event: string,
    build: (context: WebhookBodyContext) => unknown,
    scopes: readonly string[] | null = null,
  ): void {
    const changeId = randomUUID();
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.events !== undefined && !subscription.events.includes(event)) continue;
      if (subscription.scope !== undefined && scopes !== null && !scopes.includes(subscription.scope))
        continue;
      const deliveryId = this.#format.newDeliveryId?.() ?? randomUUID();
      const body = JSON.stringify(build({ deliveryId, subscription, sentAt: new Date() }));
      const envelope: WebhookEnvelope = { event, deliveryId, changeId, attempt: 1, subscription, body };
      const headers = this.#format.headers(envelope);
      const index =
        this.#deliveries.push({
          id: deliveryId,
          url: subscription.url,
          subscriptionId: subscription.id,
          event,
          headers,
          body,
          status: null,
          error: null,
          attempts: 0,
          envelope,
        }) - 1;
      const sending = this.#send(index, subscription.retry === true ? RETRIES : 0);
      this.#inFlight.add(sending);
      void sending.finally(() => this.#inFlight.delete(sending));
    }
  }

  /**
   * `emit`, once the current synchronous work is done: for a change made in steps (an issue
   * created, then its fields written), so the body shows the finished change; `when` can call it
   * off (a draft that was discarded). `idle` waits for it.
   */
  emitSoon(
    event: string,
    build: (context: WebhookBodyContext) => unknown,
    scopes: readonly string[] | null = null,
    when: () => boolean = () => true,
  ): void {
    if (!this.active) return;
    const later = Promise.resolve().then(() => {
      if (when()) this.emit(event, build, scopes);
    });
    this.#inFlight.add(later);
    void later.finally(() => this.#inFlight.delete(later));
  }

  async #send(index: number, retriesLeft: number): Promise<void> {
    const delivery = this.#deliveries[index];
    if (delivery === undefined) return;
    const attempt = delivery.attempts + 1;
    const headers =
      attempt === 1 ? delivery.headers : this.#format.headers({ ...delivery.envelope, attempt });
    const result = await postWebhook(delivery.url, headers, delivery.body);
    this.#deliveries[index] = { ...delivery, ...result, headers, attempts: attempt };
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    if (!ok && retriesLeft > 0) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      await this.#send(index, retriesLeft - 1);
    }
  }
}
