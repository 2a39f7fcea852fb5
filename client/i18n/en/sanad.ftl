# Sanad command-line messages: English (the reference catalogue).
# Every message here must exist in fr/ and ar/ with the same variables
# (checked by `cargo test -p sanad-client i18n`).

## Help

app-about = Sanad: end-to-end encrypted messages and files through a Sanad relay.
app-after-help = Start with `sanad init`, then `sanad invite`. The passphrase comes from SANAD_PASSPHRASE, --passphrase-file, or is asked for.
help-usage = Usage:
help-commands = Commands:
help-arguments = Arguments:
help-options = Options:
opt-help = Show this help
opt-version = Show the version
opt-profile = Profile directory (default: your data directory; or SANAD_PROFILE)
opt-lang = Language: en, fr or ar (default: from the environment)
opt-passphrase-file = Read the passphrase from the first line of this file
opt-json = Machine-readable output (JSON)
opt-quiet = No progress bars or hints
opt-relay = The relay's address line (sanad://host:port?pin=…), from its operator
opt-name = Your name as your contacts will see it
opt-qr = Also draw the invite as a QR code
opt-qr-svg = Also write the invite's QR code to this SVG file
opt-valid-days = Days the invite stays valid (1 to { $max }; default { $default })
opt-contact-name = The name you give this contact
opt-confirm = Mark the contact verified (after comparing the safety number)
opt-file = Send this file instead of a text
opt-out = Where to write the file (must not exist)
opt-yes = Do not ask for confirmation
opt-update-every-messages = Renew your keys in a conversation after this many messages you send there
opt-update-every-days = Renew your keys in every conversation at least this often (days)
arg-invite = The invite line (sanad-invite:…)
arg-contact = A contact's name
arg-contacts = Contacts' names
arg-conversation = A contact's or group's name
arg-group = A group's name
arg-to = To whom: a contact's or group's name
arg-text = The message
arg-message-id = The message ID shown next to the file
cmd-init = Create your profile and register it on a relay
cmd-whoami = Show your profile
cmd-invite = Print an invite for someone to add you
cmd-contact = Contacts: add, list, verify
cmd-contact-add = Add a contact from their invite
cmd-contact-list = List your contacts
cmd-contact-verify = Show the safety number with a contact, or confirm it
cmd-send = Send a message or a file
cmd-sync = Fetch new messages and send what waits in the outbox
cmd-inbox = Show all conversations
cmd-read = Show one conversation
cmd-save = Save a received file
cmd-group = Groups: create, add, remove, list, check
cmd-group-create = Create a group
cmd-group-add = Add contacts to a group
cmd-group-remove = Remove contacts from a group
cmd-group-list = List your conversations
cmd-group-check = Show a group's check code (the same for every member)
cmd-outbox = What waits to be sent
cmd-outbox-list = List what waits to be sent
cmd-outbox-flush = Send what waits now
cmd-update-keys = Renew your keys in a conversation now
cmd-settings = Show or change how often your keys are renewed
cmd-panic = Destroy this profile's key: nothing in it can be opened again

## Results

init-deriving = Protecting your key with your passphrase (this takes a few seconds)…
init-done = Profile created for { $name }.
init-where = It is stored in { $path }.
init-next = Next: run `sanad invite` and give the line to your contact over a channel you trust.
whoami-name = Name: { $name }
whoami-relay = Relay: { $relay }
whoami-profile = Profile: { $path }
invite-hint = This invite is valid until { $expires }. Give it only to the person you mean to talk to.
invite-svg-written = QR code written to { $path }.
contact-added = { $name } is now a contact.
contact-verify-hint = Compare your safety number with { $name }: sanad contact verify "{ $name }"
contact-key-changed = WARNING: the key of { $name } has changed. Until you compare the safety number again, someone else could be reading. Do not send anything sensitive.
contact-none = No contacts yet. Add one with `sanad contact add INVITE --name NAME`.
contact-line = { $name } — { $status }
contact-status-verified = verified
contact-status-unverified = not verified
contact-status-changed = KEY CHANGED, not verified
contact-verified = { $name } is marked verified.
verify-intro = Safety number with { $name }:
verify-how = Compare these digits with { $name } in person or on a call. If they are the same, run: sanad contact verify "{ $name }" --confirm
verify-already = You have verified { $name }; the digits are unchanged.
send-encrypting = Encrypting the file for sending…
send-sent = Sent to { $name }.
send-queued = The relay is out of reach: your message to { $name } is saved and will be sent with the next `sanad sync`.
sync-summary = { $received } new, { $sent } sent, { $queued } waiting.
sync-offline = The relay is out of reach; { $queued } waiting to be sent.
history-empty = No messages.
history-me = me
history-line = [{ $time }] { $conversation } — { $from }: { $body }{ $state }
history-file = file “{ $name }” ({ $size }); save it with: sanad save { $id } --out FILE
history-queued = (waiting to be sent)
event-joined = the conversation started
event-added = added { $names }
event-removed = removed { $names }
event-you-were-removed = you were removed from this group
event-rejected = a message was rejected: it was altered, replayed or sent by someone who is not a member
event-unsupported = a message of a kind this version cannot show (update Sanad)
event-key-updated = keys were renewed
save-done = Saved “{ $name }” ({ $size }) to { $path }; its hash matches what the sender signed.
group-created = Group { $name } created. Add people with: sanad group add "{ $name }" CONTACT…
group-added = Added { $members } to { $name }.
group-removed = Removed { $members } from { $name }. They cannot read anything sent from now on.
group-none = No conversations yet.
group-line-team = { $name } (group): { $members }
group-line-direct = { $name }
group-alone = only you
group-inactive = (you are no longer a member)
group-pending = (a change waits for the relay)
group-check = Check code of { $name }:
group-check-how = Every member sees the same code. If someone's differs, the group has split: tell the desk.
outbox-empty = Nothing waits to be sent.
outbox-line = { $kind } to { $to }
outbox-line-unnamed = { $kind }
outbox-kind-file = file
outbox-kind-message = message
outbox-kind-control = key or group update
outbox-flushed = { $sent } sent, { $queued } still waiting.
update-keys-done = Your keys in this conversation are renewed.
settings-update-policy = Your keys are renewed in each conversation after { $messages } messages you send there, or every { $days } days.
passphrase-prompt = Passphrase:
passphrase-again = Passphrase again:
panic-explain = This destroys the key of the profile in { $path }. Its messages, contacts and files become unreadable for ever, also for you.
panic-confirm = Type DESTROY to continue:
panic-confirm-word = DESTROY
panic-cancelled = Nothing was destroyed.
panic-done = The key is destroyed. This profile can no longer be opened.
panic-limits = What this does not protect against: copies of the profile made earlier (backups, a seized disk image), the storage keeping old blocks (flash memory), spyware that already read the key, and what your contacts and the relay hold (the relay holds only encrypted data).
unit-bytes =
    { $n ->
        [one] { $n } byte
       *[other] { $n } bytes
    }
unit-kib = { $n } KiB
unit-mib = { $n } MiB
unit-gib = { $n } GiB
tried-both = tried QUIC (UDP) and TLS (TCP)
tried-quic = tried QUIC (UDP)
tried-tcp = tried TLS (TCP)
tried-none = nothing could be tried
progress-line = { $done } of { $total } · { $rate }/s · { $left } left

## Errors

error-prefix = Error: { $message }
error-arguments = The command line is not valid:
error-args-unknown = Unknown command or option: { $arg }. See `sanad --help`.
error-args-missing = Something is missing: { $arg }. See the command's --help.
error-args-no-command = Say what to do, for example `sanad sync`. See `sanad --help`.
error-args-invalid = The value { $value } is not valid for { $arg }. See the command's --help.
error-args-conflict = These cannot be used together: { $arg }.
error-runtime = Sanad could not start (its worker threads failed to start).
error-unreachable = The relay is out of reach ({ $tried }). Check your connection; anything you send is kept and sent later.
error-pin-mismatch = This relay is not the one in your invite: its key does not match. Do not continue; tell whoever gave you the address.
error-connection-lost = The connection to the relay was lost. Try again; nothing is lost.
error-quota = The recipient's mailbox on the relay is full. Try again later.
error-relay-full = The relay's storage is full. Tell its operator.
error-too-large = Too large for the relay (limit { $limit }).
error-unknown-mailbox = The relay does not know this conversation's mailbox (it may have expired).
error-unknown-blob = The relay no longer has this file (it may have expired). Ask the sender to send it again.
error-relay-stopping = The relay is restarting. Try again in a minute.
error-relay-refused = The relay refused the request ({ $code }).
error-invite-expired = This invite has expired. Ask for a new one.
error-invite-not = This is not a Sanad invite (it starts with sanad-invite:).
error-invite-damaged = This invite is damaged: part of it was lost or changed when it was copied. Ask for it again.
error-invite-version = This invite comes from a newer version of Sanad. Update Sanad.
error-relay-address = That relay address cannot be read (expected sanad://host:port?pin=…).
error-other-relay = This invite is for another relay than your profile's.
error-own-invite = This is your own invite.
error-already-contact = This person is already one of your contacts.
error-unknown-name = No contact or group has that name. See `sanad contact list` and `sanad group list`.
error-unknown-message = No message has that ID. See `sanad inbox`.
error-not-a-file = That message is not a file you can save.
error-name-taken = That name is already used by a contact or a group.
error-invalid-name = That name cannot be used: it is empty, too long, or contains control characters.
error-no-key-package = That contact's device has not yet sent the key needed to add them to a group. Ask them to run `sanad sync`, then run `sanad sync` yourself.
error-already-member = Already a member of that group.
error-not-a-member = Not a member of that group.
error-not-member = You are no longer a member of that conversation.
error-not-a-team = That is a contact, not a group.
error-integrity = The received file does not match what its sender signed. It was not saved.
error-wrong-passphrase = Wrong passphrase.
error-no-profile = No profile there. Create one with `sanad init`.
error-profile-exists = A profile already exists there.
error-profile = The profile cannot be opened: { $detail }
error-passphrase-required = A passphrase is needed: set SANAD_PASSPHRASE or use --passphrase-file.
error-passphrase-mismatch = The two passphrases differ. Nothing was created.
error-passphrase-short = The passphrase must have at least { $min } characters.
error-commit-conflict = Someone else changed the group at the same moment. Run the command again.
error-mls = The conversation's encryption refused this: { $detail }
error-io = File error: { $detail }
error-confirm-needs-terminal = Typing the confirmation word needs a terminal. To destroy without being asked, add --yes.
error-qr-too-long = The invite is too long to draw as a QR code. Give the text line instead.
error-profile-dir-not-empty = That directory is not empty. Choose a new or empty directory for the profile.
error-key-file-damaged = The profile's key file is damaged; the profile cannot be opened.
error-profile-newer = This profile was made by a newer version of Sanad. Update Sanad.
error-profile-incomplete = The profile is incomplete: its data is missing.
error-no-default-location = This system has no default place for profiles. Choose one with --profile DIR.
error-file-not-found = That file or directory does not exist.
error-file-permission = Permission denied: that file or directory cannot be read or written.
error-file-exists = A file already exists there. Choose another name; nothing was overwritten.
error-not-regular-file = That is not a regular file. Send one file at a time.
error-file-changed = The file changed while it was being read. Try again when nothing is writing to it.
error-file-too-large = That file is larger than the relay accepts.
error-profile-in-use = Another Sanad command or window is using this profile. Wait for it to finish (or close it) and try again.
error-store = The profile's data is damaged.
error-other = { $detail }

## Evidence

cmd-evidence = Evidence: capture, list, show, export, redact, enrol devices
cmd-evidence-capture = Sign and send files or a testimony as evidence to the desk
cmd-evidence-list = List evidence items and where each stands
cmd-evidence-show = Show one evidence item, its manifest and its checks
cmd-evidence-export = Write a bundle anyone can verify offline, with a report
cmd-evidence-redact = Write a copy without identifying metadata, for sharing
cmd-evidence-key = Show this device's evidence key (for enrolment by the desk)
cmd-evidence-desk = Set the conversation evidence goes to by default
cmd-evidence-enrol = Enrol a partner device's evidence key (desk)
cmd-evidence-devices = List the devices this desk enrolled
cmd-evidence-desk-key = Show this desk's enrolment key (what verifiers trust)
cmd-anchor = Timestamp the relay's current log checkpoint with timestamp authorities (desk)
cmd-verify = Check an evidence bundle offline: no profile, no network, no secrets
capture-after-help = Each file is hashed, signed with this device's evidence key and encrypted at once; it then goes to the relay's log and to the desk, now or with the next `sanad sync`. Fields: incident_date, incident_place, place_of_detention_type, ill_treatment_types, consent_recorded, testimony_language, collected_by.
verify-after-help = Exit status 0 only when every check holds. Give the desk's key with --desk-key to require that the device was enrolled by that desk, and each timestamp authority's certificate with --tsa-cert. Give the relay's log key with --log-key to require the receipts of that log.
arg-evidence-files = The files to capture (photos, recordings, documents)
arg-evidence-id = The item's ID (from `sanad evidence list`)
arg-evidence-ids = The items' IDs (from `sanad evidence list`)
arg-bundle = The evidence bundle (.zip) to check, or a folder of bundles (as exported)
opt-case = The case reference
opt-case-filter = Only the items of this case reference
opt-evidence-to = The desk conversation (default: set with `sanad evidence desk`)
opt-field = A structured field, NAME=VALUE (repeatable)
opt-testimony-from-stdin = Capture a written testimony read from standard input
opt-delete-original = Delete each original once its encrypted copy is safe
opt-bundle-out = Where to write the bundle (must not exist)
opt-strip-metadata = Remove EXIF, GPS and other identifying metadata
opt-key-qr = Also draw the key as a QR code
opt-device-key = The device's evidence key (64 hex digits, from `sanad evidence key` on the device)
opt-device-label = A pseudonymous label for the device (no person's name)
opt-device-org = The partner organisation
opt-enrol-send-to = Also send the enrolment to the device through this conversation
opt-tsa = A timestamp authority's URL (repeatable)
opt-tsa-cert-anchor = The certificate (PEM or DER) of each timestamp authority, in the same order
opt-tsa-cert = A timestamp authority's certificate (PEM or DER) to trust (repeatable)
opt-desk-key = A desk enrolment key (hex) to trust (repeatable)
opt-log-key = The relay's log key to trust, as `sanad-relay log-key` prints it (repeatable)
capture-encrypting = Hashing, signing and encrypting…
evidence-state =
    { $state ->
        [captured] captured
        [committed] committed to the log
        [uploaded] uploaded
        [delivered] delivered to the desk
        [confirmed] confirmed by the desk
        [received] received, not yet checked
        [verified] verified
        [failed] a check FAILED
       *[other] { $state }
    }
evidence-captured = { $id }: “{ $name }” for case { $case } — { $state }
evidence-line = { $id } [{ $date }] { $case } — “{ $name }” ({ $size }) — { $state }
evidence-none = No evidence items yet.
evidence-show-id = Item { $id } (evidence ID { $evidence })
evidence-show-case = Case: { $case }
evidence-show-file = File: “{ $name }”, { $kind }, { $size }
evidence-show-sha256 = SHA-256: { $hash }
evidence-show-device-time = Device clock at capture (not trusted): { $date }; capture number { $sequence } of this device
evidence-show-log = In the relay's log at index { $index }; the relay signed that checkpoint at { $date }
evidence-show-field = { $name }: { $value }
evidence-show-state = State: { $state }
evidence-check =
    { $passed ->
        [yes] ✓ { $check }
       *[other] ✗ { $check }
    }
evidence-check-detail =
    { $passed ->
        [yes] ✓ { $check }: { $detail }
       *[other] ✗ { $check }: { $detail }
    }
evidence-key = This device's evidence key: { $key }
evidence-key-enrolled = Enrolled by the desk as “{ $label }” of { $org }.
evidence-key-not-enrolled = Not enrolled yet: show this key to the desk (in person, or read it aloud) so they can enrol it.
evidence-desk-set = Evidence goes to { $name } unless you say otherwise with --to.
evidence-desk-key = This desk's enrolment key: { $key }
evidence-desk-key-hint = Publish this key where verifiers can find it: `sanad verify --desk-key` checks enrolments against it.
evidence-enrolled = Enrolled “{ $label }” of { $org }. Their evidence will show as captured by this enrolled device.
evidence-no-devices = No devices enrolled yet.
evidence-device-line = { $label } — { $org } — { $key } (enrolled { $date })
sync-evidence = Evidence: { $count ->
        [one] one item checked
       *[other] { $count } items checked
    }
error-unknown-evidence = No evidence item has that ID. See `sanad evidence list`.
error-no-evidence-desk = Where should the evidence go? Name the desk with --to, or set it once with `sanad evidence desk NAME`.
error-empty-testimony = The testimony is empty: nothing was captured.
error-testimony-not-text = The testimony is not text (UTF-8): nothing was captured.
error-bad-device-key = That is not a device evidence key: give the 64 hex digits shown by `sanad evidence key` on the device.
error-bad-log-key = That is not a log key: give the whole line printed by `sanad-relay log-key` on the relay.
error-bad-field = The field “{ $name }” is unknown or its value breaks its rule. See `sanad evidence capture --help`.
error-manifest = The evidence could not be signed: { $detail }
export-working = Decrypting, writing and checking the bundles…
export-bundle = Bundle: { $path }
export-report = Report: { $path }
export-hint = Give the whole folder { $path }; anyone can check it with `sanad verify`.
redact-done = Wrote { $path } ({ $size }): { $removed ->
        [0] it held no identifying metadata
        [one] one kind of metadata removed
       *[other] { $removed } kinds of metadata removed
    }.
redact-hint = A signed record links this copy to the original; exported bundles of the original include it.
anchor-done = { $authority } stamped the log at { $size } entries: { $date }.
verify-bundle = Bundle { $path }
check-name = { $check ->
        [container] the bundle's container
        [parts] the bundle's parts
        [manifest-signature] the device's signature on the manifest
        [content] the file against the manifest
        [log-key] the log key
        [receipt] the log receipt
        [commitment] the logged commitment
        [enrolment] the device's enrolment
        [desk-key] the desk key
        [seen-checkpoint] the checkpoint the device had seen
        [seen-consistent] no fork since the checkpoint the device had seen
        [latest-checkpoint] no fork up to a recent checkpoint
        [device-time] the device time
        [evidence-id-new] a new evidence ID
        [file] the received file
        [enrolled] the device's enrolment
        [log-consistent] no fork up to a recent checkpoint
        [file-matches-manifest] the received file
       *[other] { $check }
    }
verify-not-run = { $reason ->
        [not-run-earlier-failure] an earlier check failed
        [not-run-not-pinned] no trusted key was given, the bundle's own was used
        [not-run-no-seen-checkpoint] the device had seen no checkpoint
        [not-run-no-time] no checkpoint time to compare with
        [not-run-no-tsa-certificates] no TSA certificate was given with --tsa-cert
       *[other] { $reason }
    }
verify-name-anchor = timestamp { $n }
verify-name-derivative = redacted copy { $n }
verify-check-passed = {"  "}✓ { $check }
verify-check-failed = {"  "}✗ { $check }: { $reason } [{ $error }]
verify-check-not-run = {"  "}– { $check }: not checked ({ $reason })
verify-failure = { $error ->
        [evidence-id-replayed] an earlier item had the same evidence ID: a replay
        [device-not-enrolled-here] this desk has not enrolled the device
        [manifest-signature-invalid] the device's signature does not match the manifest: it was changed or signed by another key
        [content-hash-mismatch] the file is not the one that was signed: its SHA-256 differs
        [content-truncated] the file is shorter than the one that was signed
        [content-too-long] the file is longer than the one that was signed
        [device-not-enrolled] the bundle holds no enrolment of the device
        [enrolment-signature-invalid] the enrolment is not signed by the desk key
        [desk-key-mismatch] the enrolment does not name this device's key or this desk
        [desk-key-untrusted] the desk key is not one you said to trust
        [log-key-untrusted] the log key is not one you said to trust
        [receipt-other-log] the receipt is from another log
        [checkpoint-other-log] a checkpoint is from another log
        [checkpoint-signature-invalid] a checkpoint's signature or time does not verify
        [inclusion-proof-invalid] the proof that the commitment is in the log does not hold
        [inclusion-other-leaf] the log proof is for another entry
        [commitment-mismatch] the log entry is not the commitment of this manifest
        [seen-checkpoint-missing] the checkpoint the device had seen is missing
        [seen-checkpoint-unexpected] a seen checkpoint is given though the manifest names none
        [seen-checkpoint-mismatch] the seen checkpoint is not the one the manifest names
        [seen-checkpoint-after-commitment] the seen checkpoint is later than the log entry
        [checkpoint-older-than-receipt] a later checkpoint is older than the receipt's
        [log-fork] the log's checkpoints are not consistent: the log was forked or rewritten
        [device-time-before-seen-checkpoint] the device time is before a checkpoint the device had already seen: back-dated
        [device-time-after-receipt] the device time is after the log entry
        [device-time-after-anchor] the device time is after an independent timestamp
        [tsa-token-malformed] a timestamp token cannot be read
        [tsa-token-other-hash] a timestamp token is for other data
        [tsa-signature-invalid] a timestamp token's signature does not verify
        [tsa-untrusted] a timestamp token is from an authority you did not say to trust
        [derivative-signature-invalid] a redacted copy's record is not validly signed
        [derivative-other-original] a redacted copy's record is for another original
        [derivative-signer-unknown] a redacted copy's record is signed by a key that is not the desk's
        [bundle-too-many-entries] the bundle has more parts than any bundle can have
        [bundle-malformed] the bundle is not a well-formed ZIP file of the Sanad kind
        [bundle-duplicate-entry] the bundle holds the same part twice
        [bundle-unknown-entry] the bundle holds a part that a Sanad bundle never has
        [bundle-unsafe-name] a part of the bundle has a name that could write outside a folder
        [bundle-unsupported-version] the bundle is of a format version this program does not know: update Sanad
        [bundle-too-large] the bundle is larger than any bundle can be
        [bundle-crc-mismatch] a part of the bundle is damaged (its checksum fails)
        [part-missing] a part of the bundle is missing
        [part-too-large] a part of the bundle is too large
        [part-malformed] a part of the bundle cannot be read
       *[other] the bundle is not a valid Sanad bundle
    }
verify-ok = VERIFIED: captured by enrolled device “{ $device }” of { $org }, case { $case }.
verify-hash = File SHA-256: { $hash }
verify-device-time = Device clock (not trusted): { $date }
verify-not-before = Captured no earlier than: { $date } (a log checkpoint the device had seen)
verify-not-after-relay = Captured no later than: { $date } (the relay's signed time on its log)
verify-not-after-tsa = Captured no later than: { $date } (independent timestamp by { $authority })
verify-desk-key-not-pinned = The desk key inside the bundle was used: compare it with the desk's published key, or give it with --desk-key.
verify-bundle-failed = NOT VERIFIED: this bundle does not prove what it claims.
verify-chain-ok = The { $count } items are consistent with each device's numbered chain.
verify-chain-gaps = Some items of a device are not in this set ({ $gaps } gaps in its numbering): an export of some items, or deleted items.
verify-chain-broken = The devices' chains are broken: { $replayed } replayed evidence IDs, { $forks } forks, { $links } broken links.
verify-all-ok = { $count ->
        [one] The bundle verifies.
       *[other] All { $count } bundles verify.
    }
verify-not-ok = Verification FAILED: see the ✗ lines above.
error-evidence-not-verified = Only items received and verified here can be exported or redacted. See `sanad evidence show ID`.
error-device-not-enrolled = The device that captured this item is not enrolled: enrol it first (`sanad evidence enrol`).
error-export-did-not-verify = The bundle written did not pass the verifier ({ $error }); nothing was kept.
error-tsa-cert-count = Give one --tsa-cert for each --tsa, in the same order.
error-bad-certificate = That certificate file cannot be read (PEM or DER expected).
error-no-bundles = No evidence bundle (.zip) there.
error-anchor = Timestamping failed: { $detail }
error-redact = No copy was made: { $detail }
