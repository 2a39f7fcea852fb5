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
error-profile-in-use = Une autre commande ou fenêtre Sanad utilise ce profil. Attendez qu’elle se termine (ou fermez-la) et réessayez.
error-store = Les données du profil sont endommagées.
error-other = { $detail }

## Preuves

cmd-evidence = Preuves : capturer, lister, afficher, exporter, caviarder, enrôler des appareils
cmd-evidence-capture = Signer et envoyer au bureau des fichiers ou un témoignage comme preuves
cmd-evidence-list = Lister les preuves et l’état de chacune
cmd-evidence-show = Afficher une preuve, son manifeste et ses vérifications
cmd-evidence-export = Écrire un dossier vérifiable hors ligne par n’importe qui, avec un rapport
cmd-evidence-redact = Écrire une copie sans métadonnées identifiantes, pour diffusion
cmd-evidence-key = Afficher la clé de preuve de cet appareil (pour son enrôlement par le bureau)
cmd-evidence-desk = Choisir la conversation où vont les preuves par défaut
cmd-evidence-enrol = Enrôler la clé de preuve d’un appareil partenaire (bureau)
cmd-evidence-devices = Lister les appareils enrôlés par ce bureau
cmd-evidence-desk-key = Afficher la clé d’enrôlement de ce bureau (celle à laquelle se fient les vérificateurs)
cmd-anchor = Horodater le point de contrôle actuel du journal du relais auprès d’autorités d’horodatage (bureau)
cmd-verify = Vérifier un dossier de preuves hors ligne : sans profil, sans réseau, sans secret
capture-after-help = Chaque fichier est aussitôt haché, signé avec la clé de preuve de cet appareil et chiffré ; il part ensuite vers le journal du relais et vers le bureau, maintenant ou au prochain `sanad sync`. Champs : incident_date, incident_place, place_of_detention_type, ill_treatment_types, consent_recorded, testimony_language, collected_by.
verify-after-help = Code de sortie 0 seulement si toutes les vérifications réussissent. Donnez la clé du bureau avec --desk-key pour exiger que l’appareil ait été enrôlé par ce bureau, et le certificat de chaque autorité d’horodatage avec --tsa-cert. Donnez la clé du journal du relais avec --log-key pour exiger les reçus de ce journal.
arg-evidence-files = Les fichiers à capturer (photos, enregistrements, documents)
arg-evidence-id = L’identifiant de la preuve (voir `sanad evidence list`)
arg-evidence-ids = Les identifiants des preuves (voir `sanad evidence list`)
arg-bundle = Le dossier de preuves (.zip) à vérifier, ou un répertoire de dossiers de preuves (tel qu’exporté)
opt-case = La référence du dossier
opt-case-filter = Seulement les éléments de ce dossier
opt-evidence-to = La conversation du bureau (par défaut : celle choisie avec `sanad evidence desk`)
opt-field = Un champ structuré, NOM=VALEUR (répétable)
opt-testimony-from-stdin = Capturer un témoignage écrit lu sur l’entrée standard
opt-delete-original = Supprimer chaque original dès que sa copie chiffrée est en sûreté
opt-bundle-out = Où écrire le dossier (ne doit pas exister)
opt-strip-metadata = Retirer les métadonnées EXIF, GPS et autres qui identifient
opt-key-qr = Dessiner aussi la clé en code QR
opt-device-key = La clé de preuve de l’appareil (64 chiffres hexadécimaux, donnés par `sanad evidence key` sur l’appareil)
opt-device-label = Un libellé pseudonyme pour l’appareil (aucun nom de personne)
opt-device-org = L’organisation partenaire
opt-enrol-send-to = Envoyer aussi l’enrôlement à l’appareil par cette conversation
opt-tsa = L’URL d’une autorité d’horodatage (répétable)
opt-tsa-cert-anchor = Le certificat (PEM ou DER) de chaque autorité d’horodatage, dans le même ordre
opt-tsa-cert = Un certificat (PEM ou DER) d’autorité d’horodatage auquel se fier (répétable)
opt-desk-key = Une clé d’enrôlement de bureau (hexadécimale) à laquelle se fier (répétable)
opt-log-key = La clé du journal du relais à laquelle se fier, telle que l’affiche `sanad-relay log-key` (répétable)
capture-encrypting = Hachage, signature et chiffrement…
evidence-state =
    { $state ->
        [captured] capturée
        [committed] inscrite au journal
        [uploaded] téléversée
        [delivered] remise au bureau
        [confirmed] confirmée par le bureau
        [received] reçue, pas encore vérifiée
        [verified] vérifiée
        [failed] une vérification a ÉCHOUÉ
       *[other] { $state }
    }
evidence-captured = { $id } : « { $name } » pour le dossier { $case } — { $state }
evidence-line = { $id } [{ $date }] { $case } — « { $name } » ({ $size }) — { $state }
evidence-none = Aucune preuve pour l’instant.
evidence-show-id = Preuve { $id } (identifiant de preuve { $evidence })
evidence-show-case = Dossier : { $case }
evidence-show-file = Fichier : « { $name } », { $kind }, { $size }
evidence-show-sha256 = SHA-256 : { $hash }
evidence-show-device-time = Horloge de l’appareil à la capture (non fiable) : { $date } ; capture n° { $sequence } de cet appareil
evidence-show-log = Dans le journal du relais à l’index { $index } ; le relais a signé ce point de contrôle le { $date }
evidence-show-field = { $name } : { $value }
evidence-show-state = État : { $state }
evidence-check =
    { $passed ->
        [yes] ✓ { $check }
       *[other] ✗ { $check }
    }
evidence-check-detail =
    { $passed ->
        [yes] ✓ { $check } : { $detail }
       *[other] ✗ { $check } : { $detail }
    }
evidence-key = Clé de preuve de cet appareil : { $key }
evidence-key-enrolled = Enrôlé par le bureau comme « { $label } » de { $org }.
evidence-key-not-enrolled = Pas encore enrôlé : montrez cette clé au bureau (en personne, ou lisez-la à voix haute) pour qu’il l’enrôle.
evidence-desk-set = Les preuves iront à { $name }, sauf indication contraire avec --to.
evidence-desk-key = Clé d’enrôlement de ce bureau : { $key }
evidence-desk-key-hint = Publiez cette clé là où les vérificateurs la trouveront : `sanad verify --desk-key` vérifie les enrôlements avec elle.
evidence-enrolled = « { $label } » de { $org } est enrôlé. Ses preuves apparaîtront comme capturées par cet appareil enrôlé.
evidence-no-devices = Aucun appareil enrôlé pour l’instant.
evidence-device-line = { $label } — { $org } — { $key } (enrôlé le { $date })
sync-evidence = Preuves : { $count ->
        [one] une preuve vérifiée
       *[other] { $count } preuves vérifiées
    }
error-unknown-evidence = Aucune preuve n’a cet identifiant. Voir `sanad evidence list`.
error-no-evidence-desk = Où envoyer la preuve ? Nommez le bureau avec --to, ou choisissez-le une fois pour toutes avec `sanad evidence desk NOM`.
error-empty-testimony = Le témoignage est vide : rien n’a été capturé.
error-testimony-not-text = Le témoignage n’est pas du texte (UTF-8) : rien n’a été capturé.
error-bad-device-key = Ce n’est pas une clé de preuve d’appareil : donnez les 64 chiffres hexadécimaux affichés par `sanad evidence key` sur l’appareil.
error-bad-log-key = Ce n’est pas une clé de journal : donnez la ligne entière affichée par `sanad-relay log-key` sur le relais.
error-bad-field = Le champ « { $name } » est inconnu ou sa valeur ne respecte pas sa règle. Voir `sanad evidence capture --help`.
error-manifest = La preuve n’a pas pu être signée : { $detail }
export-working = Déchiffrement, écriture et vérification des dossiers de preuves…
export-bundle = Dossier de preuves : { $path }
export-report = Rapport : { $path }
export-hint = Remettez le répertoire { $path } tout entier ; chacun peut le vérifier avec `sanad verify`.
redact-done = { $path } écrit ({ $size }) : { $removed ->
        [0] l’original ne contenait aucune métadonnée identifiante
        [one] un type de métadonnées retiré
       *[other] { $removed } types de métadonnées retirés
    }.
redact-hint = Un acte signé relie cette copie à l’original ; les dossiers de preuves exportés de l’original l’incluent.
anchor-done = { $authority } a horodaté le journal à { $size } entrées : { $date }.
verify-bundle = Dossier de preuves { $path }
check-name = { $check ->
        [container] le conteneur du dossier de preuves
        [parts] les parties du dossier de preuves
        [manifest-signature] la signature de l’appareil sur le manifeste
        [content] le fichier au regard du manifeste
        [log-key] la clé du journal
        [receipt] le reçu du journal
        [commitment] l’engagement inscrit au journal
        [enrolment] l’enrôlement de l’appareil
        [desk-key] la clé du bureau
        [seen-checkpoint] le point de contrôle que l’appareil avait vu
        [seen-consistent] aucune divergence depuis le point de contrôle que l’appareil avait vu
        [latest-checkpoint] aucune divergence jusqu’à un point de contrôle récent
        [device-time] l’heure de l’appareil
        [evidence-id-new] un identifiant de preuve nouveau
        [file] le fichier reçu
        [enrolled] l’enrôlement de l’appareil
        [log-consistent] aucune divergence jusqu’à un point de contrôle récent
        [file-matches-manifest] le fichier reçu
       *[other] { $check }
    }
verify-not-run = { $reason ->
        [not-run-earlier-failure] une vérification précédente a échoué
        [not-run-not-pinned] aucune clé de confiance n’a été donnée : celle du dossier a été utilisée
        [not-run-no-seen-checkpoint] l’appareil n’avait vu aucun point de contrôle
        [not-run-no-time] aucune heure de point de contrôle à laquelle comparer
        [not-run-no-tsa-certificates] aucun certificat d’autorité d’horodatage n’a été donné avec --tsa-cert
       *[other] { $reason }
    }
verify-name-anchor = horodatage { $n }
verify-name-derivative = copie expurgée { $n }
verify-check-passed = {"  "}✓ { $check }
verify-check-failed = {"  "}✗ { $check } : { $reason } [{ $error }]
verify-check-not-run = {"  "}– { $check } : non vérifié ({ $reason })
verify-failure = { $error ->
        [evidence-id-replayed] un élément précédent avait le même identifiant de preuve : c’est un rejeu
        [device-not-enrolled-here] ce bureau n’a pas enrôlé l’appareil
        [manifest-signature-invalid] la signature de l’appareil ne correspond pas au manifeste : il a été modifié ou signé avec une autre clé
        [content-hash-mismatch] le fichier n’est pas celui qui a été signé : son SHA-256 diffère
        [content-truncated] le fichier est plus court que celui qui a été signé
        [content-too-long] le fichier est plus long que celui qui a été signé
        [device-not-enrolled] le dossier de preuves ne contient aucun enrôlement de l’appareil
        [enrolment-signature-invalid] l’enrôlement n’est pas signé avec la clé du bureau
        [desk-key-mismatch] l’enrôlement ne nomme pas la clé de cet appareil ou ne nomme pas ce bureau
        [desk-key-untrusted] la clé du bureau n’est pas l’une de celles auxquelles vous avez dit vous fier
        [log-key-untrusted] la clé du journal n’est pas l’une de celles auxquelles vous avez dit vous fier
        [receipt-other-log] le reçu provient d’un autre journal
        [checkpoint-other-log] un point de contrôle provient d’un autre journal
        [checkpoint-signature-invalid] la signature ou l’heure d’un point de contrôle ne se vérifie pas
        [inclusion-proof-invalid] la preuve que l’engagement figure dans le journal n’est pas valable
        [inclusion-other-leaf] la preuve du journal porte sur une autre entrée
        [commitment-mismatch] l’entrée du journal n’est pas l’engagement de ce manifeste
        [seen-checkpoint-missing] le point de contrôle que l’appareil avait vu est absent
        [seen-checkpoint-unexpected] un point de contrôle vu est fourni alors que le manifeste n’en nomme aucun
        [seen-checkpoint-mismatch] le point de contrôle vu n’est pas celui que nomme le manifeste
        [seen-checkpoint-after-commitment] le point de contrôle vu est postérieur à l’entrée du journal
        [checkpoint-older-than-receipt] un point de contrôle plus récent est plus ancien que celui du reçu
        [log-fork] les points de contrôle du journal ne sont pas cohérents : le journal a divergé (fork) ou a été réécrit
        [device-time-before-seen-checkpoint] l’heure de l’appareil est antérieure à un point de contrôle que l’appareil avait déjà vu : la capture a été antidatée
        [device-time-after-receipt] l’heure de l’appareil est postérieure à l’entrée du journal
        [device-time-after-anchor] l’heure de l’appareil est postérieure à un horodatage indépendant
        [tsa-token-malformed] un jeton d’horodatage est illisible
        [tsa-token-other-hash] un jeton d’horodatage porte sur d’autres données
        [tsa-signature-invalid] la signature d’un jeton d’horodatage ne se vérifie pas
        [tsa-untrusted] un jeton d’horodatage provient d’une autorité à laquelle vous n’avez pas dit vous fier
        [derivative-signature-invalid] l’acte d’une copie expurgée n’est pas valablement signé
        [derivative-other-original] l’acte d’une copie expurgée porte sur un autre original
        [derivative-signer-unknown] l’acte d’une copie expurgée est signé avec une clé qui n’est pas celle du bureau
        [bundle-too-many-entries] le dossier de preuves contient plus de parties qu’aucun dossier ne peut en avoir
        [bundle-malformed] le dossier de preuves n’est pas un fichier ZIP bien formé du type de Sanad
        [bundle-duplicate-entry] le dossier de preuves contient deux fois la même partie
        [bundle-unknown-entry] le dossier de preuves contient une partie qu’un dossier Sanad n’a jamais
        [bundle-unsafe-name] une partie du dossier de preuves porte un nom qui pourrait écrire hors d’un dossier
        [bundle-unsupported-version] le dossier de preuves est dans une version de format que ce programme ne connaît pas : mettez Sanad à jour
        [bundle-too-large] le dossier de preuves dépasse la taille maximale de tout dossier de preuves
        [bundle-crc-mismatch] une partie du dossier de preuves est endommagée (sa somme de contrôle est fausse)
        [part-missing] une partie du dossier de preuves manque
        [part-too-large] une partie du dossier de preuves est trop grande
        [part-malformed] une partie du dossier de preuves est illisible
       *[other] ce n’est pas un dossier de preuves Sanad valide
    }
verify-ok = VÉRIFIÉ : capturé par l’appareil enrôlé « { $device } » de { $org }, dossier { $case }.
verify-hash = SHA-256 du fichier : { $hash }
verify-device-time = Horloge de l’appareil (non fiable) : { $date }
verify-not-before = Capturé au plus tôt : { $date } (un point de contrôle du journal que l’appareil avait vu)
verify-not-after-relay = Capturé au plus tard : { $date } (l’heure signée par le relais dans son journal)
verify-not-after-tsa = Capturé au plus tard : { $date } (horodatage indépendant par { $authority })
verify-desk-key-not-pinned = La clé du bureau contenue dans le dossier de preuves a été utilisée : comparez-la avec la clé publiée par le bureau, ou donnez-la avec --desk-key.
verify-bundle-failed = NON VÉRIFIÉ : ce dossier de preuves ne prouve pas ce qu’il affirme.
verify-chain-ok = Les { $count } pièces sont cohérentes avec la chaîne numérotée de chaque appareil.
verify-chain-gaps = Certaines pièces d’un appareil ne figurent pas dans cet ensemble ({ $gaps } lacunes dans sa numérotation) : un export de quelques pièces seulement, ou des pièces supprimées.
verify-chain-broken = Les chaînes des appareils sont rompues : { $replayed } identifiants de preuve rejoués, { $forks } bifurcations, { $links } liens rompus.
verify-all-ok = { $count ->
        [one] Le dossier de preuves est vérifié.
       *[other] Les { $count } dossiers de preuves sont tous vérifiés.
    }
verify-not-ok = La vérification a ÉCHOUÉ : voir les lignes ✗ ci-dessus.
error-evidence-not-verified = Seules les preuves reçues et vérifiées ici peuvent être exportées ou expurgées. Voir `sanad evidence show ID`.
error-device-not-enrolled = L’appareil qui a capturé cette preuve n’est pas enrôlé : enrôlez-le d’abord (`sanad evidence enrol`).
error-export-did-not-verify = Le dossier de preuves écrit n’a pas passé la vérification ({ $error }) ; rien n’a été conservé.
error-tsa-cert-count = Donnez un --tsa-cert pour chaque --tsa, dans le même ordre.
error-bad-certificate = Ce fichier de certificat est illisible (PEM ou DER attendu).
error-no-bundles = Aucun dossier de preuves (.zip) à cet endroit.
error-anchor = L’horodatage a échoué : { $detail }
error-redact = Aucune copie n’a été faite : { $detail }
