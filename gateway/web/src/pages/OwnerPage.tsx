import type { ScreeningFormatCode, ScreeningLabelCode, ScreeningVersionCode } from '@cine/common/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api, SearchHit } from '../api';
import { SearchBox } from '../components/SearchBox';
import { STRINGS } from '../i18n';
import { addDays, frenchDate, frenchDayTime, localDate, offsetAt, weekStartOf } from '../programme/cinema-dates';
import { HttpFailure } from '../programme/http';
import { ACCESS, LABEL_CODES, LABELS, VERSIONS } from '../programme/labels';
import { type AdminWeek, login, logout, me, OwnerApi, type OwnerSession, type Room } from '../programme/owner-api';

/** What went wrong, in plain French, with the server's own words when they name the problem. */
function problem(err: unknown): string {
  if (!(err instanceof HttpFailure)) return 'Une erreur inattendue est survenue. Rechargez la page.';
  if (err.status === 0) return 'Le serveur ne répond pas. Vérifiez la connexion, puis réessayez.';
  if (err.status === 403) return `Action refusée : rechargez la page, puis recommencez. (${err.message})`;
  if (err.status === 409) return `Conflit : ${err.message}`;
  if (err.status >= 500) return `Le serveur a un problème ; réessayez dans un instant. (${err.message})`;
  return `Refusé : ${err.message}`;
}

function loginProblem(err: unknown): string {
  if (err instanceof HttpFailure && err.status === 401) return 'Adresse e-mail ou mot de passe incorrect.';
  if (err instanceof HttpFailure && err.status === 429) {
    const minutes = err.retryAfterSeconds ? Math.ceil(err.retryAfterSeconds / 60) : null;
    return `Trop d’essais manqués : la connexion est bloquée${minutes ? ` pendant ${minutes} minute${minutes > 1 ? 's' : ''}` : ' un moment'}. (${err.message})`;
  }
  return problem(err);
}

/** `/gestion`: the owner's login, then the week's editor. */
export function OwnerPage({ api }: { api: Api }) {
  const [session, setSession] = useState<OwnerSession | null | 'checking'>('checking');
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    me().then(setSession, () => setSession(null));
  }, []);
  if (session === 'checking') return <p class="state">Chargement…</p>;
  if (session === null) return <LoginForm ended={ended} onLogin={setSession} />;
  return (
    <WeekEditor
      api={api}
      session={session}
      onLogout={(expired) => {
        setEnded(expired);
        setSession(null);
      }}
    />
  );
}

function LoginForm(props: { ended: boolean; onLogin: (s: OwnerSession) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      props.onLogin(await login(String(form.get('email')), String(form.get('password'))));
    } catch (err) {
      setError(loginProblem(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel owner-login" aria-labelledby="login-heading">
      <h2 id="login-heading" class="page-title">
        Gestion du programme
      </h2>
      {props.ended && <p class="notice">Vous êtes déconnecté.</p>}
      <p class="panel__help">Réservé au cinéma. Connectez-vous avec l’adresse e-mail et le mot de passe du compte du gérant.</p>
      <form class="form" onSubmit={submit}>
        <div class="field">
          <label class="field__label" for="f-email">Adresse e-mail</label>
          <input id="f-email" class="field__input" type="email" name="email" autoComplete="username" required />
        </div>
        <div class="field">
          <label class="field__label" for="f-password">Mot de passe</label>
          <input id="f-password" class="field__input" type="password" name="password" autoComplete="current-password" required />
        </div>
        {error && (
          <p class="form__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="btn btn--primary" disabled={busy}>
          Se connecter
        </button>
      </form>
    </section>
  );
}

type Note = { kind: 'ok' | 'error'; text: string } | null;

function WeekEditor(props: { api: Api; session: OwnerSession; onLogout: (expired: boolean) => void }) {
  const owner = useRef(new OwnerApi(props.session.csrfToken)).current;
  const [weekStart, setWeekStart] = useState(() => weekStartOf(localDate(new Date())));
  const [week, setWeek] = useState<AdminWeek | null>(null);
  const [rooms, setRooms] = useState<Room[]>([]);
  const [note, setNote] = useState<Note>(null);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  /** Runs a write; a lost session goes back to the login, anything else is said in the note. */
  const act = async (run: () => Promise<string>): Promise<boolean> => {
    try {
      setNote({ kind: 'ok', text: await run() });
      reload();
      return true;
    } catch (err) {
      if (err instanceof HttpFailure && err.status === 401) props.onLogout(true);
      else setNote({ kind: 'error', text: problem(err) });
      return false;
    }
  };

  useEffect(() => {
    let live = true;
    Promise.all([owner.week(weekStart), owner.rooms()]).then(
      ([w, r]) => {
        if (!live) return;
        setWeek(w);
        setRooms(r.items);
      },
      (err) => {
        if (!live) return;
        if (err instanceof HttpFailure && err.status === 401) props.onLogout(true);
        else setNote({ kind: 'error', text: problem(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [weekStart, version]);

  const next = addDays(weekStart, 7);
  const scheduled = week?.items.filter((s) => s.status === 'scheduled').length ?? 0;
  return (
    <>
      <div class="owner-bar">
        <h2 class="page-title">Gestion du programme</h2>
        <p class="owner-bar__who">
          Connecté : {props.session.email}{' '}
          <button
            type="button"
            class="btn btn--quiet"
            onClick={() =>
              logout()
                .catch(() => undefined)
                .then(() => props.onLogout(false))
            }
          >
            Se déconnecter
          </button>
        </p>
      </div>

      <p class={`owner-note${note ? ` owner-note--${note.kind}` : ''}`} role={note?.kind === 'error' ? 'alert' : 'status'}>
        {note?.text}
      </p>

      <section class="panel" aria-labelledby="week-heading">
        <h3 id="week-heading" class="panel__title">
          Semaine du {frenchDate(weekStart)} au {frenchDate(addDays(weekStart, 6))}
        </h3>
        <p class="week-nav">
          <button type="button" class="btn btn--quiet" onClick={() => setWeekStart(addDays(weekStart, -7))}>
            ← Semaine précédente
          </button>
          <button type="button" class="btn btn--quiet" onClick={() => setWeekStart(next)}>
            Semaine suivante →
          </button>
        </p>
        {week && (
          <p class={`week-state${week.publishedAt ? ' week-state--published' : ''}`}>
            {week.publishedAt ? `Publiée le ${frenchDayTime(new Date(week.publishedAt))} : les spectateurs la voient.` : 'Brouillon : les spectateurs ne la voient pas encore.'}
          </p>
        )}
        <p class="week-actions">
          <button type="button" class="btn btn--primary" onClick={() => act(async () => `Semaine publiée (${(await owner.publish(weekStart)).screenings} séances).`)}>
            Publier la semaine
          </button>
          <button type="button" class="btn" disabled={scheduled === 0} onClick={() => act(async () => `${(await owner.duplicate(weekStart, next)).created} séances copiées sur la semaine du ${frenchDate(next)} (brouillon).`)}>
            Copier sur la semaine suivante
          </button>
        </p>
        {week && <WeekList week={week} onCancel={(id, what) => confirm(`Annuler la séance ${what} ?`) && act(async () => (await owner.cancel(id), `Séance ${what} annulée.`))} />}
      </section>

      <AddScreening api={props.api} owner={owner} rooms={rooms} weekStart={weekStart} act={act} />
      <ImportCsv owner={owner} act={act} />
      <Rooms rooms={rooms} owner={owner} act={act} />
    </>
  );
}

function WeekList({ week, onCancel }: { week: AdminWeek; onCancel: (id: string, what: string) => void }) {
  if (week.items.length === 0) return <p class="notice">Aucune séance cette semaine.</p>;
  return (
    <ul class="owner-seances">
      {week.items.map((s) => {
        const when = frenchDayTime(new Date(s.startsAt));
        const title = s.title ?? s.tconst;
        const what = `de ${title} du ${when}`;
        return (
          <li key={s.id} class={`owner-seance${s.status === 'cancelled' ? ' seance--cancelled' : ''}`} data-screening={s.id}>
            <p class="owner-seance__main">
              <strong class="owner-seance__when">{when}</strong> <span class="owner-seance__title">{title}</span>
            </p>
            <p class="seance__tags">
              <span class="tag tag--version">{s.version}</span>
              {s.format === '3D' && <span class="tag">3D</span>}
              {s.accessibility.sme && <span class="tag tag--access">SME</span>}
              {s.accessibility.ad && <span class="tag tag--access">AD</span>}
              {s.labels.map((l) => (
                <span key={l} class="tag tag--label">
                  {LABELS[l]}
                </span>
              ))}
              <span>{s.room}</span>
              {s.status === 'cancelled' && <span class="tag tag--cancelled">Annulée</span>}
            </p>
            {s.status === 'scheduled' && (
              <button type="button" class="btn btn--quiet" onClick={() => onCancel(s.id, what)}>
                Annuler la séance<span class="sr-only"> {what}</span>
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

type Act = (run: () => Promise<string>) => Promise<boolean>;

function AddScreening(props: { api: Api; owner: OwnerApi; rooms: Room[]; weekStart: string; act: Act }) {
  const [film, setFilm] = useState<SearchHit | null>(null);
  const [date, setDate] = useState(props.weekStart);
  useEffect(() => setDate(props.weekStart), [props.weekStart]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!film) return;
    const formEl = e.currentTarget as HTMLFormElement;
    const f = new FormData(formEl);
    const time = String(f.get('time'));
    const day = String(f.get('date'));
    const text = (name: string) => String(f.get(name) ?? '').trim() || null;
    const ok = await props.act(async () => {
      await props.owner.addScreening({
        tconst: film.tconst,
        startsAt: `${day}T${time}:00${offsetAt(day, time)}`,
        room: String(f.get('room')),
        version: String(f.get('version')) as ScreeningVersionCode,
        format: String(f.get('format')) as ScreeningFormatCode,
        accessibility: { sme: f.get('sme') !== null, ad: f.get('ad') !== null },
        labels: f.getAll('labels').map(String) as ScreeningLabelCode[],
        priceNote: text('priceNote'),
        bookingUrl: text('bookingUrl'),
      });
      return `Séance ajoutée : ${film.title}, ${frenchDate(day)} ${time}.`;
    });
    if (ok) setFilm(null);
  };
  return (
    <section class="panel" aria-labelledby="add-heading">
      <h3 id="add-heading" class="panel__title">
        Ajouter une séance
      </h3>
      <SearchBox id="owner-film" api={props.api} lang="fr" t={STRINGS.fr} label="Film (tapez le titre)" placeholder="Par exemple : Le Parrain" exclude={[]} onPick={setFilm} />
      <p class="owner-film" aria-live="polite">
        {film ? `Film choisi : ${film.title}${film.year ? ` (${film.year})` : ''}` : 'Aucun film choisi.'}
      </p>
      <form class="form form--grid" onSubmit={submit}>
        <div class="field">
          <label class="field__label" for="f-room">Salle</label>
          <select id="f-room" class="field__input" name="room" required>
            {props.rooms.map((r) => (
              <option key={r.id} value={r.name}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="field__label" for="f-date">Date</label>
          <input id="f-date" class="field__input" type="date" name="date" required value={date} min={props.weekStart} max={addDays(props.weekStart, 6)} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label class="field__label" for="f-time">Heure</label>
          <input id="f-time" class="field__input" type="time" name="time" required defaultValue="20:30" />
        </div>
        <div class="field">
          <label class="field__label" for="f-version">Version</label>
          <select id="f-version" class="field__input" name="version">
            {Object.entries(VERSIONS).map(([code, text]) => (
              <option key={code} value={code}>
                {code} — {text}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="field__label" for="f-format">Format</label>
          <select id="f-format" class="field__input" name="format">
            <option value="2D">2D</option>
            <option value="3D">3D</option>
          </select>
        </div>
        <fieldset class="field field--choices">
          <legend class="field__label">Accessibilité</legend>
          <label class="check">
            <input type="checkbox" name="sme" /> {ACCESS.sme.short} — {ACCESS.sme.long}
          </label>
          <label class="check">
            <input type="checkbox" name="ad" /> {ACCESS.ad.short} — {ACCESS.ad.long}
          </label>
        </fieldset>
        <fieldset class="field field--choices">
          <legend class="field__label">Labels</legend>
          {LABEL_CODES.map((code) => (
            <label key={code} class="check">
              <input type="checkbox" name="labels" value={code} /> {LABELS[code]}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label class="field__label" for="f-priceNote">Note de tarif (facultatif)</label>
          <input id="f-priceNote" class="field__input" type="text" name="priceNote" maxLength={200} />
        </div>
        <div class="field">
          <label class="field__label" for="f-bookingUrl">Lien de réservation (facultatif, https://…)</label>
          <input id="f-bookingUrl" class="field__input" type="url" name="bookingUrl" pattern="https://.+" />
        </div>
        <button type="submit" class="btn btn--primary" disabled={!film || props.rooms.length === 0}>
          Ajouter la séance
        </button>
      </form>
    </section>
  );
}

function ImportCsv(props: { owner: OwnerApi; act: Act }) {
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const file = (form.elements.namedItem('csv') as HTMLInputElement).files?.[0];
    if (!file) return;
    const csv = await file.text();
    if (await props.act(async () => {
      const r = await props.owner.importCsv(csv);
      return `Fichier importé : ${r.created} séances (semaines du ${r.weeks.map(frenchDate).join(', du ')}), en brouillon.`;
    })) form.reset();
  };
  return (
    <section class="panel" aria-labelledby="import-heading">
      <h3 id="import-heading" class="panel__title">
        Importer un tableau (CSV)
      </h3>
      <p class="panel__help">Colonnes : date, time, tconst, room, version, et au choix format, sme, ad, labels, price_note, booking_url. Tout le fichier est refusé à la première erreur, qui est expliquée ici.</p>
      <form class="form" onSubmit={submit}>
        <div class="field">
          <label class="field__label" for="f-csv">Fichier CSV</label>
          <input id="f-csv" class="field__input" type="file" name="csv" accept=".csv,text/csv" required />
        </div>
        <button type="submit" class="btn btn--primary">
          Importer le fichier
        </button>
      </form>
    </section>
  );
}

function Rooms(props: { rooms: Room[]; owner: OwnerApi; act: Act }) {
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const name = String(f.get('name')).trim();
    if (await props.act(async () => (await props.owner.addRoom({ name, seats: Number(f.get('seats')), wheelchair: f.get('wheelchair') !== null }), `Salle « ${name} » ajoutée.`))) form.reset();
  };
  return (
    <section class="panel" aria-labelledby="rooms-heading">
      <h3 id="rooms-heading" class="panel__title">
        Les salles
      </h3>
      {props.rooms.length === 0 ? (
        <p class="notice">Aucune salle : ajoutez-en une avant les séances.</p>
      ) : (
        <ul class="owner-rooms">
          {props.rooms.map((r) => (
            <li key={r.id}>
              {r.name} : {r.seats} places{r.wheelchair ? ', accessible en fauteuil' : ''}
            </li>
          ))}
        </ul>
      )}
      <form class="form form--grid" onSubmit={submit}>
        <div class="field">
          <label class="field__label" for="f-name">Nom de la salle</label>
          <input id="f-name" class="field__input" type="text" name="name" required maxLength={60} />
        </div>
        <div class="field">
          <label class="field__label" for="f-seats">Places</label>
          <input id="f-seats" class="field__input" type="number" name="seats" required min={1} max={5000} />
        </div>
        <label class="check">
          <input type="checkbox" name="wheelchair" /> Accessible en fauteuil
        </label>
        <button type="submit" class="btn">
          Ajouter la salle
        </button>
      </form>
    </section>
  );
}
