# Le rapport de preuve (client/src/evidence/report.rs) : une page HTML que le
# bureau exporte avec un lot, pour les enquêteurs, les avocats et les juges.
# Les messages ne contiennent aucun balisage : le rapport échappe tout ce qu’il affiche.

report-title = Rapport de vérification des preuves
report-generated = Établi le { $date } par le bureau des preuves, à partir du lot exporté { $bundle }.
report-summary = { $total ->
    [one] Ce lot contient une pièce.
   *[other] Ce lot contient { $total } pièces.
}
report-summary-all-passed = Toutes les vérifications ont réussi pour toutes les pièces.
report-summary-failed = { $failed ->
    [one] Une pièce a échoué à la vérification : lisez sa section avant de vous y fier.
   *[other] { $failed } pièces ont échoué à la vérification : lisez leurs sections avant de vous y fier.
}
report-not-proof = Ce rapport est une aide à la lecture. La preuve, c’est le lot lui-même, que chacun peut vérifier à nouveau (voir « Vérifiez vous-même »). Si ce rapport et le vérificateur divergent, c’est le vérificateur qui a raison.

report-reading-heading = Comment lire ce rapport
report-reading-body = Chaque pièce a été signée sur l’appareil qui l’a capturée, avec la clé de preuve de cet appareil. Un engagement salé sur sa description signée (le manifeste) a ensuite été inscrit dans le journal de transparence public du relais, qui ne peut pas être réécrit sans que cela se voie. Les vérifications ci-dessous confirment ces étapes à partir du seul lot, sans aucun secret ni accès au réseau. Chacune dit ce qu’elle prouve et ce qu’elle ne prouve pas.
report-reading-source = Pour protéger les personnes concernées, le rapport désigne les appareils par le pseudonyme que le bureau leur a donné, jamais par le nom de la personne qui les tenait.

report-times-heading = À propos des heures
report-time-device = Horloge de l’appareil (non fiable)
report-time-device-explain = Ce qu’indiquait l’horloge de l’appareil au moment de la capture. L’horloge d’un téléphone peut être fausse ou réglée à la main : cette heure ne prouve rien et n’est donnée qu’à titre indicatif.
report-time-not-before = Pas avant
report-time-not-before-explain = L’heure du dernier point de contrôle du journal que l’appareil avait vu lors de la capture : la capture ne peut pas être antérieure. Cette heure vient du point de contrôle signé par le relais.
report-time-relay = Pas après (journal du relais)
report-time-relay-explain = L’heure du point de contrôle du journal qui contient la pièce : la pièce existait à ce moment-là. C’est la déclaration du relais lui-même, signée avec sa clé de journal.
report-time-tsa = Pas après (autorité d’horodatage { $authority })
report-time-tsa-explain = Une autorité d’horodatage indépendante du relais et du bureau a signé (RFC 3161), à cette heure, un point de contrôle du journal qui contient la pièce.
report-time-none = non disponible
report-datetime = { $day } { $month } { $year }, { $time } UTC

report-month-1 = janvier
report-month-2 = février
report-month-3 = mars
report-month-4 = avril
report-month-5 = mai
report-month-6 = juin
report-month-7 = juillet
report-month-8 = août
report-month-9 = septembre
report-month-10 = octobre
report-month-11 = novembre
report-month-12 = décembre

report-item-heading = Pièce { $n }
report-verdict-ok = Vérifiée : toutes les vérifications ci-dessous ont réussi.
report-verdict-fail = NON VÉRIFIÉE : au moins une vérification a échoué. Ne vous fiez pas à cette pièce en l’état.
report-facts-heading = La pièce
report-field-case = Référence du dossier
report-field-evidence-id = Identifiant de la pièce
report-field-kind = Nature
report-field-file-name = Nom du fichier (tel que sur l’appareil de capture)
report-field-media-type = Type de média
report-field-size = Taille
report-field-sha256 = SHA-256 du fichier
report-field-device = Capturée par
report-field-enrolment = Enrôlement
report-field-log = Journal de transparence
report-size-bytes = { $n ->
    [one] { $n } octet
   *[other] { $n } octets
}
report-device = l’appareil « { $label } » de { $organisation }
report-enrolled-yes = enrôlé par le bureau
report-enrolled-no = NON enrôlé par le bureau
report-log-entry = entrée { $index } du journal { $origin }

report-kind-photo = photographie
report-kind-video = enregistrement vidéo
report-kind-audio = enregistrement audio
report-kind-document = document
report-kind-testimony = témoignage écrit
report-kind-other = autre fichier

report-checks-heading = Vérifications
report-col-check = Vérification
report-col-result = Résultat
report-col-proves = Ce qu’elle prouve
report-col-limits = Ce qu’elle ne prouve pas
report-passed = ✓ réussie
report-failed = ✗ ÉCHOUÉE
report-check-detail = Motif : { $detail }

report-check-manifest-signature = Signature du manifeste
report-check-manifest-signature-proves = Le manifeste (l’empreinte et la taille du fichier, son type, la référence du dossier et les détails de la capture) a été signé avec la clé de preuve de l’appareil de capture, et pas un octet n’en a changé depuis.
report-check-manifest-signature-limits = Elle ne dit pas qui tenait l’appareil, ni que ce que l’appareil a écrit (son horloge par exemple) est vrai.
report-check-device-enrolment = Enrôlement de l’appareil
report-check-device-enrolment-proves = La clé de signature appartient à un appareil que le bureau a enrôlé, sous le pseudonyme et l’organisation indiqués ; l’acte d’enrôlement est signé avec la clé du bureau.
report-check-device-enrolment-limits = Le pseudonyme ne nomme personne. Il montre ce que le bureau a enregistré lors de l’enrôlement, pas qui tenait l’appareil au moment de la capture.
report-check-content-hash = Intégrité du fichier
report-check-content-hash-proves = Le fichier du lot a exactement l’empreinte SHA-256 et la taille que nomme le manifeste signé : c’est, bit pour bit, le fichier capturé.
report-check-content-hash-limits = Elle ne prouve pas que ce que montre le fichier est vrai ou non mis en scène, ni où il a été enregistré.
report-check-log-commitment = Engagement dans le journal
report-check-log-commitment-proves = L’engagement inscrit dans le journal est calculé à partir de ce manifeste et du sel fourni dans le lot.
report-check-log-commitment-limits = L’engagement seul ne révèle rien du fichier : sans le sel, personne ne peut relier l’entrée du journal à cette pièce.
report-check-log-inclusion = Inclusion dans le journal
report-check-log-inclusion-proves = L’engagement est une entrée du journal de transparence du relais, sous un point de contrôle signé : le manifeste existait quand ce point de contrôle a été signé.
report-check-log-inclusion-limits = L’heure du point de contrôle est la déclaration du relais lui-même ; la vérification de l’horodatage donne une heure indépendante.
report-check-checkpoint-signature = Signature des points de contrôle
report-check-checkpoint-signature-proves = Les points de contrôle du journal utilisés ici sont signés avec la clé de journal du relais donnée plus bas.
report-check-checkpoint-signature-limits = Elle ne montre pas que l’horloge du relais était juste.
report-check-log-consistency = Cohérence du journal
report-check-log-consistency-proves = Le point de contrôle du reçu et un point de contrôle plus récent appartiennent à une même histoire, où l’on ne fait qu’ajouter : aucune entrée n’a été retirée ni réécrite entre les deux.
report-check-log-consistency-limits = Elle ne montre pas que tous les observateurs ont vu le même journal ; comparer les points de contrôle avec d’autres observateurs le montre.
report-check-not-before = Heure de capture au plus tôt
report-check-not-before-proves = Le manifeste nomme un point de contrôle du journal que l’appareil avait vu : la capture a eu lieu après la signature de ce point de contrôle.
report-check-not-before-limits = Un appareil resté longtemps hors ligne nomme un point de contrôle ancien : la borne est alors lâche.
report-check-timestamp = Horodatage indépendant
report-check-timestamp-proves = Une autorité d’horodatage indépendante du relais et du bureau a signé, à l’heure indiquée, un point de contrôle du journal qui contient la pièce.
report-check-timestamp-limits = Elle repose sur le certificat de l’autorité fourni au vérificateur, et sur l’horloge de l’autorité.
report-check-device-chain = Chaîne de l’appareil
report-check-device-chain-proves = Le manifeste renvoie au manifeste précédent du même appareil : supprimer ou antidater une pièce de cet appareil rompt la chaîne.
report-check-device-chain-limits = La chaîne ne peut être suivie qu’à travers les pièces de cet appareil que détient le bureau.
report-check-evidence-id-unique = Identifiant unique
report-check-evidence-id-unique-proves = Aucune autre pièce n’utilise cet identifiant : la pièce n’est pas le rejeu d’une autre.
report-check-evidence-id-unique-limits = Elle ne montre pas que la même scène n’a pas été capturée deux fois.
report-check-derivative-record = Copies expurgées reliées
report-check-derivative-record-proves = Chaque copie expurgée listée plus bas est reliée à l’empreinte de l’original par un acte signé.
report-check-derivative-record-limits = Une copie expurgée est un autre fichier : ce n’est pas la preuve, et son empreinte diffère de celle de l’original.

report-case-fields-heading = Champs du dossier (tels qu’enregistrés à la capture)
report-col-field = Champ
report-col-value = Valeur

report-derivatives-heading = Copies expurgées
report-derivatives-explain = Une copie expurgée est un autre fichier, fait pour être partagé sans métadonnées identifiantes (lieu, appareil, logiciel). Ce n’est pas la preuve : son empreinte diffère de celle de l’original, et un acte signé la relie à l’original.
report-col-copy = Copie
report-col-removed = Retiré
report-col-link = Lien signé
report-link-verified = ✓ vérifié
report-link-unverified = ✗ NON vérifié
report-removed-nothing = rien (l’original n’en contenait pas)
report-removed-unlisted = les métadonnées identifiantes (Exif, GPS, XMP, identifiants de l’appareil), selon l’acte signé
report-removed-exif = données Exif (appareil, numéros de série, réglages et heure de prise de vue)
report-removed-location = position GPS
report-removed-xmp = données XMP (historique des retouches, logiciel)
report-removed-iptc = données IPTC (légendes, noms, lieux)
report-removed-icc-profile = profil de couleur (peut nommer le fabricant de l’appareil)
report-removed-comment = commentaire
report-removed-thumbnail = vignette intégrée
report-removed-multi-picture = images supplémentaires (carte de profondeur, aperçu)
report-removed-app-segment = segment d’application JPEG { $segment }
report-removed-text = blocs de texte
report-removed-time = date de modification
report-removed-pixel-density = densité de pixels
report-removed-chunk = bloc « { $name } »
report-removed-trailing-data = données après la fin de l’image

report-verify-heading = Vérifiez vous-même
report-verify-body = Chacun peut refaire toutes les vérifications avec le vérificateur Sanad, sans accès au réseau, sans secret et sans compte. Dans le dossier qui contient le lot, lancez :
report-verify-exit = Le vérificateur affiche un verdict et ses motifs, et se termine avec le code de sortie 0 seulement si tout est valide.
report-verify-keys = Comparez ces clés avec celles que publie l’organisation, obtenues par un autre canal que ce rapport :
report-key-log = Clé publique du journal du relais
report-key-desk = Empreinte de la clé du bureau
report-footer = Rapport de preuve Sanad, établi le { $date }.
