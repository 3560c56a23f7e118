import { useState } from 'preact/hooks';
import { type Api, ApiFailure } from '../api';
import type { Lang } from '../i18n';
import { SUBSCRIPTION_STRINGS } from './strings';

type State = { kind: 'ready' } | { kind: 'sending' } | { kind: 'gone' } | { kind: 'failed' };

/**
 * `/abonnement/confirmer#<token>`: the confirmation email's link. Opening it confirms nothing
 * (mail scanners open links): only the button's POST does, then the manage page opens with the
 * manage token the answer gives, kept in memory, never in a URL.
 */
export function ConfirmPage(props: { api: Api; lang: Lang; token: string | null; onConfirmed: (manageToken: string) => void }) {
  const s = SUBSCRIPTION_STRINGS[props.lang];
  const [state, setState] = useState<State>({ kind: 'ready' });

  const confirm = async () => {
    if (!props.token || state.kind === 'sending') return;
    setState({ kind: 'sending' });
    try {
      const answer = await props.api.confirmSubscription(props.token);
      props.onConfirmed(answer.manageToken);
    } catch (err) {
      setState(err instanceof ApiFailure && !err.unavailable ? { kind: 'gone' } : { kind: 'failed' });
    }
  };

  return (
    <section class="panel sub sub--page" aria-labelledby="confirm-title">
      <h2 id="confirm-title" class="page-title">
        {s.confirmTitle}
      </h2>
      {!props.token ? (
        <p class="notice">{s.confirmNoToken}</p>
      ) : state.kind === 'gone' ? (
        <p class="notice" role="alert">
          {s.confirmGone}
        </p>
      ) : (
        <>
          <p>{s.confirmText}</p>
          <p>
            <button type="button" class="btn btn--primary sub-big" onClick={confirm} disabled={state.kind === 'sending'}>
              {state.kind === 'sending' ? s.confirming : s.confirmButton}
            </button>
          </p>
          {state.kind === 'failed' && (
            <p class="notice" role="alert">
              {s.failed}
            </p>
          )}
        </>
      )}
    </section>
  );
}
