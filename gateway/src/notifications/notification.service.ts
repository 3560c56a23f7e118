import {
  CONSENT_WORDING,
  CONSENT_WORDING_VERSION,
  type ConfirmResponse,
  type ConsentWording,
  LEARNING_CONSENT_WORDING,
  LEARNING_CONSENT_WORDING_VERSION,
  type DigestPreview,
  type DigestRunAccepted,
  type DigestRunRequest,
  type NotificationStats,
  type OwnerEraseResult,
  type ResolvedEntry,
  type SubscribeAccepted,
  type SubscribeRequest,
  type SubscriptionExport,
  type SubscriptionView,
  type UpdateSubscription,
} from '@cine/common';
import { badRequest, HttpError } from '../http/http-errors';
import { NOTIFIER_OFF_MESSAGE, type NotifierClient, type PreviewTaste } from './notifier.repository';

/** Titles in the customer's words to films: the recommendations' resolver (RecommendationService). */
export interface TitleResolver {
  resolve(entries: readonly string[]): Promise<ResolvedEntry[]>;
}

/**
 * The customer's subscription and the owner's figures, as the gateway's public door to the
 * notifier: checks what the gateway alone knows (the consent wording shown, the catalogue's
 * titles), then forwards. The notifier owns the subscribers and checks everything again.
 */
export class NotificationService {
  constructor(
    private readonly notifier: NotifierClient,
    private readonly titles: TitleResolver,
    /** False without NOTIFIER_URL: every route answers 503 (NoNotifier), the consent wording too. */
    private readonly enabled: boolean,
  ) {}

  /** The wordings the page shows next to the unticked boxes (the emails', the optional learning one), and the version it sends back. */
  consent(): ConsentWording {
    this.ensureEnabled();
    return {
      version: CONSENT_WORDING_VERSION,
      text: CONSENT_WORDING[CONSENT_WORDING_VERSION]!,
      learning: { version: LEARNING_CONSENT_WORDING_VERSION, text: LEARNING_CONSENT_WORDING[LEARNING_CONSENT_WORDING_VERSION]! },
    };
  }

  async subscribe(request: SubscribeRequest, requestId?: string): Promise<SubscribeAccepted> {
    this.ensureEnabled();
    // A page open since an older wording: the customer must see the words they agree to.
    if (request.consent.wordingVersion !== CONSENT_WORDING_VERSION) {
      throw badRequest('body/consent/wordingVersion : le texte du consentement a changé. Rechargez la page pour lire le nouveau texte, puis cochez la case.');
    }
    const [liked, disliked] = await Promise.all([this.tconsts(request.liked, 'liked'), this.tconsts(request.disliked ?? [], 'disliked')]);
    return this.notifier.subscribe({ ...request, liked, disliked }, requestId);
  }

  confirm(token: string, requestId?: string): Promise<ConfirmResponse> {
    return this.notifier.confirm(token, requestId);
  }

  subscription(manageToken: string, requestId?: string): Promise<SubscriptionView> {
    return this.notifier.subscription(manageToken, requestId);
  }

  async update(manageToken: string, update: UpdateSubscription, requestId?: string): Promise<SubscriptionView> {
    this.ensureEnabled();
    const [liked, disliked] = await Promise.all([
      update.liked === undefined ? undefined : this.tconsts(update.liked, 'liked'),
      update.disliked === undefined ? undefined : this.tconsts(update.disliked, 'disliked'),
    ]);
    return this.notifier.update(
      manageToken,
      { ...update, ...(liked !== undefined ? { liked } : {}), ...(disliked !== undefined ? { disliked } : {}) },
      requestId,
    );
  }

  erase(manageToken: string, requestId?: string): Promise<void> {
    return this.notifier.erase(manageToken, requestId);
  }

  export(manageToken: string, requestId?: string): Promise<SubscriptionExport> {
    return this.notifier.export(manageToken, requestId);
  }

  /** RFC 8058's one-click: idempotent on the notifier's side. */
  unsubscribe(token: string, requestId?: string): Promise<void> {
    return this.notifier.unsubscribe(token, requestId);
  }

  // ---- the owner's ----
  stats(requestId?: string): Promise<NotificationStats> {
    return this.notifier.stats(requestId);
  }

  preview(taste: PreviewTaste, requestId?: string): Promise<DigestPreview> {
    return this.notifier.preview(taste, requestId);
  }

  runDigest(request: DigestRunRequest, requestId?: string): Promise<DigestRunAccepted> {
    return this.notifier.runDigest(request, requestId);
  }

  /** A customer's erasure asked of the cinema: the notifier checks the address and erases by its hash. */
  eraseByAddress(email: string, requestId?: string): Promise<OwnerEraseResult> {
    return this.notifier.eraseByAddress(email, requestId);
  }

  /** Before the catalogue is asked anything: without a notifier there is nothing to resolve for. */
  private ensureEnabled(): void {
    if (!this.enabled) throw new HttpError(503, NOTIFIER_OFF_MESSAGE);
  }

  /**
   * Every entry to a film of the catalogue, in order, once each. An entry that resolves to none is
   * a 400 naming it by its place (`body/liked/2`), not by its text: a customer's films are theirs,
   * and an error message may travel further than the answer.
   */
  private async tconsts(entries: readonly string[], field: 'liked' | 'disliked'): Promise<string[]> {
    const resolved = await this.titles.resolve(entries);
    const missing = resolved.findIndex((e) => e.status !== 'resolved' || e.tconst === null);
    if (missing >= 0) {
      throw badRequest(`body/${field}/${missing} : film non reconnu. Choisissez-le dans la liste proposée par la recherche, ou donnez son identifiant IMDb (tt…).`);
    }
    return [...new Set(resolved.map((e) => e.tconst!))];
  }
}
