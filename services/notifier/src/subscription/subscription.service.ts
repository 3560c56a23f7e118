import { randomUUID } from 'node:crypto';
import {
  type ConfirmResponse,
  CONSENT_WORDING_VERSION,
  JobName,
  LEARNING_CONSENT_WORDING_VERSION,
  type NotifyProducer,
  type SubscribeAccepted,
  type SubscribeRequest,
  type SubscriptionExport,
  type SubscriptionPreferences,
  type SubscriptionView,
  type UpdateSubscription,
} from '@cine/common';
import type { FilmRepository } from '../films/film.repository';
import type { LinkService } from './links.service';
import { consentSha256, emailHash, isWellFormedToken, tokenHash } from './secrets';
import { confirmationGone, invalidField, linkNoLongerValid, unsubscribeLinkTooOld } from './subscription.errors';
import type { ConsentProof, LearningChoice, SubscriberRow, SubscriptionRepository } from './subscription.repository';

/** At most this many confirmation emails per address and 24 hours; more requests are accepted and do nothing. */
export const CONFIRMATIONS_PER_DAY = 3;
export const MAX_FILMS = 50;

/** The one answer to every subscription request, whatever the address's state: nobody learns whether an address is known. */
export const SUBSCRIBE_ACCEPTED: SubscribeAccepted = {
  status: 'pending',
  message:
    'Merci. Si cette adresse peut recevoir nos e-mails, un message de confirmation vient de lui être envoyé. ' +
    'Ouvrez-le et appuyez sur « Confirmer mon inscription » : sans cela, nous ne vous enverrons rien.',
};

const TCONST = /^tt[0-9]{7,10}$/;
// Deliberately plain: one @, no spaces or brackets, a dot in the domain. The confirmation email is the real test.
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

/**
 * A customer's subscription, without a password: the request (double opt-in), the confirmation,
 * then the manage page (a `manage` token from any email) and the one-click unsubscribe.
 */
export class SubscriptionService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly films: FilmRepository,
    private readonly links: LinkService,
    private readonly queue: NotifyProducer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async subscribe(request: SubscribeRequest): Promise<SubscribeAccepted> {
    const email = request.email.trim();
    if (email.length > 254 || !EMAIL.test(email)) throw invalidField('email', 'cette adresse e-mail n’est pas valable.');
    const liked = await this.checkFilms('liked', request.liked, 1);
    const disliked = await this.checkFilms('disliked', request.disliked ?? [], 0);
    const both = disliked.findIndex((t) => liked.includes(t));
    if (both >= 0) throw invalidField(`disliked[${both}]`, 'ce film est aussi parmi les films aimés.');
    checkPreferences(request.preferences);
    if (request.consent.accepted !== true) throw invalidField('consent.accepted', 'il faut cocher la case pour s’abonner.');
    const sha256 = consentSha256(request.consent.wordingVersion);
    if (sha256 === null) throw invalidField('consent.wordingVersion', 'ce texte d’accord n’est plus le bon ; rechargez la page.');
    const source = request.source ?? 'page';

    const hash = emailHash(email);
    // A bounced address cannot receive the confirmation: accepted like any other, nothing happens.
    if ((await this.subscriptions.suppressionOf(hash)) === 'bounced') return SUBSCRIBE_ACCEPTED;
    const outcome = await this.subscriptions.request(
      { email, emailHash: hash, liked, disliked, preferences: request.preferences, consent: { version: request.consent.wordingVersion, sha256, source },
        learning: this.learningChoice(request.consent.learning === true, source),
      },
      { now: this.clock(), maxPerDay: CONFIRMATIONS_PER_DAY, confirmationKey: (id) => `confirmation:${id}:${randomUUID()}` },
    );
    if (outcome.confirmationKey !== null) {
      try {
        // The token is made by the job: a raw token never waits in Redis. An active address gets its manage link instead.
        await this.queue.enqueue(JobName.SendConfirmation, { subscriberId: outcome.subscriberId }, { jobId: outcome.confirmationKey.replace(/:/g, '-') });
      } catch (err) {
        await this.subscriptions.dropReservation(outcome.confirmationKey);
        throw err;
      }
    }
    return SUBSCRIBE_ACCEPTED;
  }

  async confirm(token: string): Promise<ConfirmResponse> {
    if (!isWellFormedToken(token)) throw confirmationGone();
    const id = await this.subscriptions.confirm(tokenHash(token), this.currentConsent('email-link'), this.clock());
    const subscriber = id === null ? null : await this.subscriptions.findById(id);
    if (!subscriber) throw confirmationGone();
    return { subscription: await this.view(subscriber), manageToken: await this.links.issue(subscriber.id, 'manage') };
  }

  async get(manageToken: string): Promise<SubscriptionView> {
    const subscriber = await this.byManageToken(manageToken);
    await this.subscriptions.touch(subscriber.id, this.clock());
    return this.view(subscriber);
  }

  async update(manageToken: string, change: UpdateSubscription): Promise<SubscriptionView> {
    const subscriber = await this.byManageToken(manageToken);
    const liked = change.liked ? await this.checkFilms('liked', change.liked, 1) : undefined;
    const disliked = change.disliked ? await this.checkFilms('disliked', change.disliked, 0) : undefined;
    const finalLiked = liked ?? subscriber.liked;
    const both = (disliked ?? subscriber.disliked).findIndex((t) => finalLiked.includes(t));
    if (both >= 0) throw invalidField(`disliked[${both}]`, 'ce film est aussi parmi les films aimés.');
    if (change.preferences) checkPreferences(change.preferences);
    // Given or withdrawn on the manage page, reached through a link of an email: the proof says so.
    const learning = change.learning === undefined ? undefined : this.learningChoice(change.learning, 'email-link');
    await this.subscriptions.update(subscriber.id, { liked, disliked, preferences: change.preferences, learning }, this.clock());
    return this.view((await this.subscriptions.findById(subscriber.id))!);
  }

  /** Erasure: everything about the address goes; its hash stays on the suppression list ('erased'). */
  async erase(manageToken: string): Promise<void> {
    const subscriber = await this.byManageToken(manageToken);
    await this.subscriptions.erase(subscriber.id, 'erased', this.clock());
  }

  /**
   * The same erasure, asked of the owner by the customer (a letter, at the desk): by the address,
   * found by its hash. False when no subscriber has it: nothing was erased, nothing is recorded.
   */
  async eraseByAddress(address: string): Promise<boolean> {
    const email = address.trim();
    if (email.length > 254 || !EMAIL.test(email)) throw invalidField('email', 'cette adresse e-mail n’est pas valable.');
    const id = await this.subscriptions.idByEmailHash(emailHash(email));
    return id === null ? false : this.subscriptions.erase(id, 'erased', this.clock());
  }

  async export(manageToken: string): Promise<SubscriptionExport> {
    const subscriber = await this.byManageToken(manageToken);
    await this.subscriptions.touch(subscriber.id, this.clock());
    const fresh = (await this.subscriptions.findById(subscriber.id))!;
    const [view, consent, notifications] = await Promise.all([this.view(fresh), this.subscriptions.consentRecords(fresh.id), this.subscriptions.notifications(fresh.id)]);
    return {
      exportedAt: this.clock().toISOString(),
      subscription: { ...view, createdAt: fresh.createdAt.toISOString(), lastActivityAt: fresh.lastActivityAt.toISOString() },
      consent: consent.map((c) => ({
        at: c.at.toISOString(),
        wordingVersion: c.wording_version,
        wordingSha256: c.wording_sha256,
        source: c.source,
        action: c.action,
        purpose: c.purpose,
      })),
      notifications: notifications.map((n) => ({ kind: n.kind, tconst: n.tconst, week: n.week, sentAt: n.sent_at?.toISOString() ?? null, status: n.status })),
    };
  }

  /** RFC 8058 one-click: no login, no confirmation, idempotent (a second POST finds nothing and says the same). */
  async unsubscribe(token: string): Promise<void> {
    if (!isWellFormedToken(token)) return;
    const outcome = await this.subscriptions.unsubscribe(tokenHash(token), this.currentConsent('email-link'), this.clock());
    if (outcome === 'expired') throw unsubscribeLinkTooOld();
  }

  private async byManageToken(token: string): Promise<SubscriberRow> {
    if (!isWellFormedToken(token)) throw linkNoLongerValid();
    const subscriber = await this.subscriptions.findByToken(tokenHash(token), 'manage', this.clock());
    if (!subscriber) throw linkNoLongerValid();
    return subscriber;
  }

  private async view(subscriber: SubscriberRow): Promise<SubscriptionView> {
    const [liked, disliked, learning] = await Promise.all([
      this.films.describe(subscriber.liked),
      this.films.describe(subscriber.disliked),
      this.subscriptions.learningGiven(subscriber.id),
    ]);
    return {
      email: subscriber.email,
      status: subscriber.status === 'pending' ? 'pending' : subscriber.preferences.paused ? 'paused' : 'active',
      channel: 'email',
      liked,
      disliked,
      preferences: subscriber.preferences,
      learning,
      confirmedAt: subscriber.confirmedAt?.toISOString() ?? null,
    };
  }

  /** The wording in force, as the proof of a confirmation or a withdrawal made from an email's link. */
  private currentConsent(source: 'email-link'): ConsentProof {
    return { version: CONSENT_WORDING_VERSION, sha256: consentSha256(CONSENT_WORDING_VERSION)!, source };
  }

  /** The learning box as ticked or not, with the proof of the one wording in force (the page shows no other). */
  private learningChoice(given: boolean, source: ConsentProof['source']): LearningChoice {
    return { given, proof: { version: LEARNING_CONSENT_WORDING_VERSION, sha256: consentSha256(LEARNING_CONSENT_WORDING_VERSION, 'learning')!, source } };
  }

  /** Well-formed, known to the catalogue, each once, within the limits. Errors name the position, never the film. */
  private async checkFilms(field: string, tconsts: readonly string[], min: number): Promise<string[]> {
    if (tconsts.length < min) throw invalidField(field, 'choisissez au moins un film que vous avez aimé.');
    if (tconsts.length > MAX_FILMS) throw invalidField(field, `${MAX_FILMS} films au plus.`);
    const bad = tconsts.findIndex((t) => !TCONST.test(t));
    if (bad >= 0) throw invalidField(`${field}[${bad}]`, 'ce n’est pas un identifiant de film (tt suivi de chiffres).');
    const known = await this.films.known(tconsts);
    const unknown = tconsts.findIndex((t) => !known.has(t));
    if (unknown >= 0) throw invalidField(`${field}[${unknown}]`, 'ce film n’est pas dans le catalogue du cinéma.');
    return [...new Set(tconsts)];
  }
}

function checkPreferences(p: SubscriptionPreferences): void {
  if (!p.alerts && !p.digest && !p.paused) throw invalidField('preferences', 'choisissez les alertes, le résumé de la semaine, ou les deux.');
  if (p.versions && new Set(p.versions).size !== p.versions.length) throw invalidField('preferences.versions', 'chaque version une seule fois.');
}
