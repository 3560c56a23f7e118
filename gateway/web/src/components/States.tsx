/** The loading and error states the page and the widget share (one look, one wording). */

export function LoadingState({ text }: { text: string }) {
  return (
    <div class="state state--loading">
      <span class="spinner" aria-hidden="true" />
      <p class="state__title">{text}</p>
    </div>
  );
}

export function ErrorState(props: { title: string; text: string; retryLabel: string; onRetry: () => void }) {
  return (
    <div class="state state--error" role="alert">
      <p class="state__title">{props.title}</p>
      <p>{props.text}</p>
      <button type="button" class="btn btn--primary" onClick={props.onRetry}>
        {props.retryLabel}
      </button>
    </div>
  );
}
