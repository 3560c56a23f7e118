import { useEffect, useState } from 'preact/hooks';
import { type Api, type CatalogueStatus, isAbort } from '../api';
import type { Strings } from '../i18n';

const POLL_MS = 3000;

/**
 * On a fresh install the catalogue loads for a while: say so, with the progress, until it is
 * ready (then the page works as usual). Reports readiness so the page can hold back its examples.
 */
export function useCatalogueStatus(api: Api): CatalogueStatus | null {
  const [status, setStatus] = useState<CatalogueStatus | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      api
        .catalogueStatus(ctrl.signal)
        .then((s) => {
          setStatus(s);
          if (!s.ready || s.import.state === 'running' || s.import.state === 'queued') timer = setTimeout(poll, POLL_MS);
        })
        .catch((err) => {
          if (!isAbort(err)) timer = setTimeout(poll, POLL_MS * 2);
        });
    };
    poll();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, []);
  return status;
}

export function CatalogueBanner({ status, t }: { status: CatalogueStatus | null; t: Strings }) {
  if (!status || status.ready) return null;
  const { state, progress } = status.import;
  const pct = progress !== null ? Math.round(progress * 100) : null;
  return (
    <div class="banner" role="status">
      {state === 'failed' ? (
        <p>{t.catalogueFailed}</p>
      ) : state === 'running' || state === 'queued' ? (
        <>
          <p class="banner__title">{t.catalogueLoading}</p>
          {/* Before the first figure comes, a moving bar says "working" better than "0 %". */}
          {pct !== null && pct > 0 ? (
            <>
              <progress class="banner__progress" max={100} value={pct} aria-label={t.catalogueLoading} />
              <p>{t.catalogueProgress(pct)}</p>
            </>
          ) : (
            <progress class="banner__progress" aria-label={t.catalogueLoading} />
          )}
          <p class="banner__step">{t.catalogueWait}</p>
        </>
      ) : (
        <p>{t.catalogueEmpty}</p>
      )}
    </div>
  );
}
