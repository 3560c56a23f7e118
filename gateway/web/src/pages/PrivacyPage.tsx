/**
 * « Vos données personnelles »: the information the RGPD (art. 13) asks for where data is
 * collected — who is responsible, what is kept, why, on what basis, for how long, who else
 * handles it, the person's rights and the CNIL. Every statement is what the code does
 * (docs/notifications.md, docs/recommender.md §8); the durations are the notifier's own.
 * French only, like the subscription it describes.
 */
export function PrivacyPage() {
  return (
    <article class="panel privacy" lang="fr" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">Vos données personnelles</h2>
      <p>
        Le cinéma est responsable des données décrites ici. Il ne les vend ni ne les cède à personne. Pour toute question ou demande, répondez à l’un de ses e-mails, ou
        adressez-vous à l’accueil du cinéma.
      </p>

      <h3>Si vous cherchez des films sans vous inscrire</h3>
      <ul>
        <li>Ni compte, ni cookie publicitaire, ni mesure d’audience. Votre adresse IP n’est pas enregistrée.</li>
        <li>
          Les films que vous tapez servent à vous répondre. Pour mieux conseiller les prochains spectateurs, le service en garde seulement des totaux, comme « 12
          visiteurs ont aimé ces deux films » : jamais votre liste.
        </li>
        <li>Un numéro tiré au hasard, oublié quand vous fermez l’onglet, évite de compter deux fois la même visite.</li>
        <li>Votre navigateur retient la langue et la taille du texte que vous avez choisies, sur votre appareil seulement.</li>
      </ul>

      <h3>Si vous vous inscrivez aux e-mails</h3>
      <p>Avec votre accord (la case que vous cochez), le cinéma garde :</p>
      <ul>
        <li>votre adresse e-mail, les films que vous avez aimés et vos choix (alertes, sélection de la semaine, versions, horaires, accessibilité), pour vous écrire à propos des séances qui vous correspondent ;</li>
        <li>la preuve de votre accord : la date, le texte accepté et d’où vous l’avez donné (la page ou le site du cinéma) ;</li>
        <li>la liste des e-mails envoyés, pour ne jamais envoyer deux fois le même ni dépasser le nombre prévu par semaine ;</li>
        <li>
          seulement si vous cochez la seconde case, facultative : vos films comptent aussi, avec ceux des autres et sans votre adresse ni votre nom, pour mieux conseiller
          chacun. Vous pouvez retirer cet accord à tout moment depuis la page de votre abonnement.
        </li>
      </ul>

      <h3>Combien de temps</h3>
      <ul>
        <li>Sans confirmation de votre part, tout est effacé au bout de 7 jours.</li>
        <li>Sans aucune activité de votre part pendant 3 ans (aucun lien ouvert, aucun changement), tout est effacé.</li>
        <li>
          Après un désabonnement ou un effacement, il ne reste qu’une empreinte de votre adresse, qui ne permet pas de la retrouver : elle sert seulement à ne plus vous
          écrire.
        </li>
      </ul>

      <h3>Qui d’autre les traite</h3>
      <p>
        L’hébergeur du service et le relais qui achemine les e-mails du cinéma, pour son compte et selon ses instructions. Les e-mails ne contiennent aucun mouchard : personne
        ne sait si vous les avez ouverts.
      </p>

      <h3>Vos droits</h3>
      <ul>
        <li>
          Chaque e-mail contient un lien « Gérer mes préférences » : vous y voyez tout ce qui est gardé, vous le corrigez, vous téléchargez vos données ou vous effacez tout,
          sans mot de passe.
        </li>
        <li>Un autre lien vous désabonne en un clic.</li>
        <li>Vous avez perdu vos e-mails ? Inscrivez-vous à nouveau avec la même adresse : un nouveau lien vous est envoyé.</li>
        <li>
          Vous pouvez aussi vous adresser à la CNIL : <a href="https://www.cnil.fr">www.cnil.fr</a>.
        </li>
      </ul>
    </article>
  );
}
