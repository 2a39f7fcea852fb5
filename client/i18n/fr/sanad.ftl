# Messages de la ligne de commande de Sanad : français.
# Chaque message de en/ doit exister ici avec les mêmes variables
# (vérifié par `cargo test -p sanad-client i18n`).

## Help

app-about = Sanad : messages et fichiers chiffrés de bout en bout, transmis par un relais Sanad.
app-after-help = Commencez par `sanad init`, puis `sanad invite`. La phrase secrète est lue dans SANAD_PASSPHRASE ou dans --passphrase-file ; à défaut, elle vous est demandée.
help-usage = Utilisation :
help-commands = Commandes :
help-arguments = Arguments :
help-options = Options :
opt-help = Afficher cette aide
opt-version = Afficher la version
opt-profile = Dossier du profil (par défaut : votre dossier de données ; ou SANAD_PROFILE)
opt-lang = Langue : en, fr ou ar (par défaut : selon l’environnement)
opt-passphrase-file = Lire la phrase secrète sur la première ligne de ce fichier
opt-json = Sortie lisible par une machine (JSON)
opt-quiet = Sans barres de progression ni conseils
opt-relay = La ligne d’adresse du relais (sanad://host:port?pin=…), fournie par son opérateur
opt-name = Votre nom, tel que vos contacts le verront
opt-qr = Afficher aussi l’invitation sous forme de code QR
opt-qr-svg = Enregistrer aussi le code QR de l’invitation dans ce fichier SVG
opt-valid-days = Durée de validité de l’invitation, en jours (de 1 à { $max } ; { $default } par défaut)
opt-contact-name = Le nom que vous donnez à ce contact
opt-confirm = Marquer le contact comme vérifié (après avoir comparé le numéro de sécurité)
opt-file = Envoyer ce fichier au lieu d’un texte
opt-out = Où enregistrer le fichier (il ne doit pas déjà exister)
opt-yes = Ne pas demander de confirmation
opt-update-every-messages = Renouveler vos clés dans une conversation après ce nombre de messages que vous y envoyez
opt-update-every-days = Renouveler vos clés dans chaque conversation au moins à cette fréquence (jours)
arg-invite = La ligne d’invitation (sanad-invite:…)
arg-contact = Le nom d’un contact
arg-contacts = Les noms des contacts
arg-conversation = Le nom d’un contact ou d’un groupe
arg-group = Le nom d’un groupe
arg-to = Destinataire : le nom d’un contact ou d’un groupe
arg-text = Le message
arg-message-id = L’identifiant du message, affiché à côté du fichier
cmd-init = Créer votre profil et l’enregistrer auprès d’un relais
cmd-whoami = Afficher votre profil
cmd-invite = Afficher une invitation permettant à une personne de vous ajouter
cmd-contact = Contacts : ajouter, lister, vérifier
cmd-contact-add = Ajouter un contact à partir de son invitation
cmd-contact-list = Lister vos contacts
cmd-contact-verify = Afficher le numéro de sécurité partagé avec un contact, ou le confirmer
cmd-send = Envoyer un message ou un fichier
cmd-sync = Récupérer les nouveaux messages et envoyer ce qui attend dans la boîte d’envoi
cmd-inbox = Afficher toutes les conversations
cmd-read = Afficher une conversation
cmd-save = Enregistrer un fichier reçu
cmd-group = Groupes : créer, ajouter, retirer, lister, contrôler
cmd-group-create = Créer un groupe
cmd-group-add = Ajouter des contacts à un groupe
cmd-group-remove = Retirer des contacts d’un groupe
cmd-group-list = Lister vos conversations
cmd-group-check = Afficher le code de contrôle d’un groupe (identique pour tous les membres)
cmd-outbox = Ce qui attend d’être envoyé
cmd-outbox-list = Lister ce qui attend d’être envoyé
cmd-outbox-flush = Envoyer maintenant ce qui attend
cmd-update-keys = Renouveler dès maintenant vos clés dans une conversation
cmd-settings = Afficher ou modifier la fréquence de renouvellement de vos clés
cmd-panic = Détruire la clé de ce profil : plus rien de son contenu ne pourra être ouvert

## Results

init-deriving = Protection de votre clé par votre phrase secrète (cela prend quelques secondes)…
init-done = Profil créé pour { $name }.
init-where = Il est enregistré dans { $path }.
init-next = Étape suivante : lancez `sanad invite` et transmettez la ligne obtenue à votre contact par un canal de confiance.
whoami-name = Nom : { $name }
whoami-relay = Relais : { $relay }
whoami-profile = Profil : { $path }
invite-hint = Cette invitation est valable jusqu’au { $expires }. Ne la donnez qu’à la personne avec qui vous voulez communiquer.
invite-svg-written = Code QR enregistré dans { $path }.
contact-added = { $name } fait désormais partie de vos contacts.
contact-verify-hint = Comparez votre numéro de sécurité avec { $name } : sanad contact verify "{ $name }"
contact-key-changed = ATTENTION : la clé du contact { $name } a changé. Tant que vous n’avez pas de nouveau comparé le numéro de sécurité, quelqu’un d’autre pourrait lire vos échanges. N’envoyez rien de sensible.
contact-none = Aucun contact pour l’instant. Ajoutez-en un avec `sanad contact add INVITE --name NAME`.
contact-line = { $name } — { $status }
contact-status-verified = vérifié
contact-status-unverified = non vérifié
contact-status-changed = CLÉ CHANGÉE, non vérifié
contact-verified = Le contact { $name } est marqué comme vérifié.
verify-intro = Numéro de sécurité avec { $name } :
verify-how = Comparez ces chiffres avec { $name } en personne ou lors d’un appel. S’ils sont identiques, lancez : sanad contact verify "{ $name }" --confirm
verify-already = Vous avez déjà vérifié { $name } ; les chiffres n’ont pas changé.
send-encrypting = Chiffrement du fichier avant l’envoi…
send-sent = Envoyé à { $name }.
send-queued = Le relais est injoignable : votre message pour { $name } est conservé et sera envoyé lors du prochain `sanad sync`.
sync-summary =
    { $received ->
        [one] { $received } nouveau message
       *[other] { $received } nouveaux messages
    }, { $sent ->
        [one] { $sent } envoyé
       *[other] { $sent } envoyés
    }, { $queued } en attente.
sync-offline = Le relais est injoignable ; { $queued } en attente d’envoi.
history-empty = Aucun message.
history-me = moi
history-line = [{ $time }] { $conversation } — { $from } : { $body }{ $state }
history-file = fichier « { $name } » ({ $size }) ; pour l’enregistrer : sanad save { $id } --out FILE
history-queued = (en attente d’envoi)
event-joined = la conversation a commencé
event-added = ajout de { $names }
event-removed = retrait de { $names }
event-you-were-removed = vous ne faites plus partie de ce groupe
event-rejected = un message a été rejeté : il avait été modifié, rejoué ou envoyé par une personne qui n’est pas membre
event-unsupported = un message d’un type que cette version ne peut pas afficher (mettez Sanad à jour)
event-key-updated = les clés ont été renouvelées
save-done = « { $name } » ({ $size }) enregistré dans { $path } ; son empreinte correspond à celle que l’expéditeur a signée.
group-created = Groupe { $name } créé. Ajoutez des personnes avec : sanad group add "{ $name }" CONTACT…
group-added = Ajouté(s) au groupe { $name } : { $members }.
group-removed = Retiré(s) du groupe { $name } : { $members }. Ces personnes ne pourront rien lire de ce qui sera envoyé à partir de maintenant.
group-none = Aucune conversation pour l’instant.
group-line-team = { $name } (groupe) : { $members }
group-line-direct = { $name }
group-alone = vous uniquement
group-inactive = (vous n’en êtes plus membre)
group-pending = (une modification attend le relais)
group-check = Code de contrôle de { $name } :
group-check-how = Chaque membre voit le même code. Si celui d’une personne est différent, le groupe s’est scindé : prévenez le bureau.
outbox-empty = Rien n’attend d’être envoyé.
outbox-line = { $kind } pour { $to }
outbox-line-unnamed = { $kind }
outbox-kind-file = fichier
outbox-kind-message = message
outbox-kind-control = mise à jour de clés ou de groupe
outbox-flushed =
    { $sent ->
        [one] { $sent } envoyé
       *[other] { $sent } envoyés
    }, { $queued } toujours en attente.
update-keys-done = Vos clés dans cette conversation ont été renouvelées.
settings-update-policy = Vos clés sont renouvelées dans chaque conversation après { $messages } messages que vous y envoyez, ou tous les { $days } jours.
passphrase-prompt = Phrase secrète :
passphrase-again = Répétez la phrase secrète :
panic-explain = Cette opération détruit la clé du profil situé dans { $path }. Ses messages, ses contacts et ses fichiers deviendront illisibles pour toujours, y compris pour vous.
panic-confirm = Pour continuer, tapez exactement le mot DÉTRUIRE :
panic-confirm-word = DÉTRUIRE
panic-cancelled = Rien n’a été détruit.
panic-done = La clé est détruite. Ce profil ne peut plus être ouvert.
panic-limits = Ce contre quoi cette opération ne protège pas : les copies du profil faites auparavant (sauvegardes, image d’un disque saisi), les anciens blocs que le support de stockage conserve (mémoire flash), un logiciel espion qui aurait déjà lu la clé, et ce que détiennent vos contacts et le relais (le relais ne détient que des données chiffrées).
unit-bytes =
    { $n ->
        [one] { $n } octet
       *[other] { $n } octets
    }
unit-kib = { $n } Kio
unit-mib = { $n } Mio
unit-gib = { $n } Gio
tried-both = tentatives : QUIC (UDP) et TLS (TCP)
tried-quic = tentative : QUIC (UDP)
tried-tcp = tentative : TLS (TCP)
tried-none = aucune tentative n’a été possible
progress-line = { $done } sur { $total } · { $rate }/s · reste { $left }

## Errors

error-prefix = Erreur : { $message }
error-arguments = La ligne de commande n’est pas valide :
error-args-unknown = Commande ou option inconnue : { $arg }. Voir `sanad --help`.
error-args-missing = Il manque : { $arg }. Voir le --help de la commande.
error-args-no-command = Indiquez quoi faire, par exemple `sanad sync`. Voir `sanad --help`.
error-args-invalid = La valeur { $value } n’est pas valable pour { $arg }. Voir le --help de la commande.
error-args-conflict = Ces éléments ne peuvent pas être utilisés ensemble : { $arg }.
error-runtime = Sanad n’a pas pu démarrer (ses fils d’exécution n’ont pas démarré).
error-unreachable = Le relais est injoignable ({ $tried }). Vérifiez votre connexion ; tout ce que vous envoyez est conservé et sera envoyé plus tard.
error-pin-mismatch = Ce relais n’est pas celui de votre invitation : sa clé ne correspond pas. Ne continuez pas ; prévenez la personne qui vous a donné l’adresse.
error-connection-lost = La connexion au relais a été perdue. Réessayez ; rien n’est perdu.
error-quota = La boîte aux lettres du destinataire sur le relais est pleine. Réessayez plus tard.
error-relay-full = L’espace de stockage du relais est plein. Prévenez son opérateur.
error-too-large = Trop volumineux pour le relais (limite : { $limit }).
error-unknown-mailbox = Le relais ne connaît pas la boîte aux lettres de cette conversation (elle a peut-être expiré).
error-unknown-blob = Le relais ne dispose plus de ce fichier (il a peut-être expiré). Demandez à l’expéditeur de l’envoyer à nouveau.
error-relay-stopping = Le relais redémarre. Réessayez dans une minute.
error-relay-refused = Le relais a refusé la requête ({ $code }).
error-invite-expired = Cette invitation a expiré. Demandez-en une nouvelle.
error-invite-not = Ce n’est pas une invitation Sanad (une invitation commence par sanad-invite:).
error-invite-damaged = Cette invitation est endommagée : une partie a été perdue ou modifiée lors de la copie. Demandez-la à nouveau.
error-invite-version = Cette invitation provient d’une version plus récente de Sanad. Mettez Sanad à jour.
error-relay-address = Cette adresse de relais est illisible (format attendu : sanad://host:port?pin=…).
error-other-relay = Cette invitation concerne un autre relais que celui de votre profil.
error-own-invite = Il s’agit de votre propre invitation.
error-already-contact = Cette personne fait déjà partie de vos contacts.
error-unknown-name = Aucun contact ni groupe ne porte ce nom. Voir `sanad contact list` et `sanad group list`.
error-unknown-message = Aucun message ne porte cet identifiant. Voir `sanad inbox`.
error-not-a-file = Ce message n’est pas un fichier que vous pouvez enregistrer.
error-name-taken = Ce nom est déjà utilisé par un contact ou un groupe.
error-invalid-name = Ce nom ne peut pas être utilisé : il est vide, trop long ou contient des caractères de contrôle.
error-no-key-package = L’appareil de ce contact n’a pas encore envoyé la clé nécessaire pour l’ajouter à un groupe. Demandez-lui de lancer `sanad sync`, puis lancez vous-même `sanad sync`.
error-already-member = Ce contact est déjà membre de ce groupe.
error-not-a-member = Ce contact n’est pas membre de ce groupe.
error-not-member = Vous n’êtes plus membre de cette conversation.
error-not-a-team = Il s’agit d’un contact, pas d’un groupe.
error-integrity = Le fichier reçu ne correspond pas à ce que son expéditeur a signé. Il n’a pas été enregistré.
error-wrong-passphrase = Phrase secrète incorrecte.
error-no-profile = Aucun profil à cet emplacement. Créez-en un avec `sanad init`.
error-profile-exists = Un profil existe déjà à cet emplacement.
error-profile = Impossible d’ouvrir le profil : { $detail }
error-passphrase-required = Une phrase secrète est nécessaire : définissez SANAD_PASSPHRASE ou utilisez --passphrase-file.
error-passphrase-mismatch = Les deux phrases secrètes sont différentes. Rien n’a été créé.
error-passphrase-short = La phrase secrète doit comporter au moins { $min } caractères.
error-commit-conflict = Quelqu’un d’autre a modifié le groupe au même moment. Relancez la commande.
error-mls = Le chiffrement de la conversation a refusé cette opération : { $detail }
error-io = Erreur de fichier : { $detail }
error-confirm-needs-terminal = Taper le mot de confirmation nécessite un terminal. Pour détruire sans confirmation, ajoutez --yes.
error-qr-too-long = L’invitation est trop longue pour être dessinée en code QR. Donnez plutôt la ligne de texte.
error-profile-dir-not-empty = Ce dossier n’est pas vide. Choisissez un dossier nouveau ou vide pour le profil.
error-key-file-damaged = Le fichier de clé du profil est endommagé ; le profil ne peut pas être ouvert.
error-profile-newer = Ce profil a été créé par une version plus récente de Sanad. Mettez Sanad à jour.
error-profile-incomplete = Le profil est incomplet : ses données sont absentes.
error-no-default-location = Ce système n’a pas d’emplacement par défaut pour les profils. Choisissez-en un avec --profile DIR.
error-file-not-found = Ce fichier ou ce dossier n’existe pas.
error-file-permission = Accès refusé : ce fichier ou ce dossier ne peut pas être lu ou écrit.
error-file-exists = Un fichier existe déjà à cet endroit. Choisissez un autre nom ; rien n’a été écrasé.
error-not-regular-file = Ce n’est pas un fichier ordinaire. Envoyez un fichier à la fois.
error-file-changed = Le fichier a changé pendant sa lecture. Réessayez quand rien n’y écrit.
error-file-too-large = Ce fichier est plus grand que ce que le relais accepte.
error-store = Les données du profil sont endommagées.
error-other = { $detail }
