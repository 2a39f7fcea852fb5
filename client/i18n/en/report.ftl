# The evidence report (client/src/evidence/report.rs): an HTML page the desk
# exports with a bundle, for investigators, lawyers and courts.
# Messages hold no markup: the report escapes everything it prints.

report-title = Evidence verification report
report-generated = Generated on { $date } by the evidence desk, from the export bundle { $bundle }.
report-summary = { $total ->
    [one] This bundle holds one evidence item.
   *[other] This bundle holds { $total } evidence items.
}
report-summary-all-passed = Every check passed for every item.
report-summary-failed = { $failed ->
    [one] One item failed verification: read its section before relying on it.
   *[other] { $failed } items failed verification: read their sections before relying on them.
}
report-not-proof = This report is a reading aid. The proof is the bundle itself, which anyone can check again (see “Check it yourself”). Where this report and the verifier disagree, the verifier is right.

report-reading-heading = How to read this report
report-reading-body = Each item was signed on the device that captured it, with that device’s evidence key. A salted commitment to its signed description (the manifest) was then written into the relay’s public transparency log, which cannot be rewritten without detection. The checks below confirm these steps from the bundle alone, without any secret or network access. Each check says what it proves and what it does not.
report-reading-source = To protect the people involved, the report names devices by the pseudonymous label the desk gave them, never by the name of the person who held them.

report-times-heading = About the times
report-time-device = Device clock (untrusted)
report-time-device-explain = What the capturing device’s clock showed. A phone’s clock can be wrong or changed by hand: this time proves nothing and is shown for reference only.
report-time-not-before = Not before
report-time-not-before-explain = The time of the latest log checkpoint the device had seen when it captured the item, so the capture cannot be earlier. This time comes from the relay’s signed checkpoint.
report-time-relay = Not after (relay log)
report-time-relay-explain = The time of the log checkpoint that includes the item: the item existed then. This is the relay’s own statement, signed with its log key.
report-time-tsa = Not after (timestamp authority { $authority })
report-time-tsa-explain = A timestamp authority independent of the relay and of the desk signed (RFC 3161) a log checkpoint that includes the item, at this time.
report-time-none = not available
report-datetime = { $day } { $month } { $year }, { $time } UTC

report-month-1 = January
report-month-2 = February
report-month-3 = March
report-month-4 = April
report-month-5 = May
report-month-6 = June
report-month-7 = July
report-month-8 = August
report-month-9 = September
report-month-10 = October
report-month-11 = November
report-month-12 = December

report-item-heading = Item { $n }
report-verdict-ok = Verified: every check below passed.
report-verdict-fail = NOT VERIFIED: at least one check failed. Do not rely on this item as it is.
report-facts-heading = The item
report-field-case = Case reference
report-field-evidence-id = Evidence ID
report-field-kind = Kind
report-field-file-name = File name (as on the capturing device)
report-field-media-type = Media type
report-field-size = Size
report-field-sha256 = SHA-256 of the file
report-field-device = Captured by
report-field-enrolment = Enrolment
report-field-log = Transparency log
report-size-bytes = { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
}
report-device = device “{ $label }” of { $organisation }
report-enrolled-yes = enrolled by the desk
report-enrolled-no = NOT enrolled by the desk
report-log-entry = entry { $index } of the log { $origin }

report-kind-photo = photograph
report-kind-video = video recording
report-kind-audio = audio recording
report-kind-document = document
report-kind-testimony = written testimony
report-kind-other = other file

report-checks-heading = Checks
report-col-check = Check
report-col-result = Result
report-col-proves = What it proves
report-col-limits = What it does not prove
report-passed = ✓ passed
report-failed = ✗ FAILED
report-check-detail = Reason: { $detail }

report-check-manifest-signature = Manifest signature
report-check-manifest-signature-proves = The manifest (the file’s hash and size, its type, the case reference and the capture details) was signed with the evidence key of the capturing device, and not one byte of it has changed since.
report-check-manifest-signature-limits = It does not say who held the device, nor that what the device wrote (such as its clock) is true.
report-check-device-enrolment = Device enrolment
report-check-device-enrolment-proves = The signing key belongs to a device the desk enrolled, under the label and organisation shown; the enrolment record is signed with the desk’s key.
report-check-device-enrolment-limits = The label is a pseudonym and names no one. It shows what the desk recorded at enrolment, not who held the device at the time of capture.
report-check-content-hash = File integrity
report-check-content-hash-proves = The file in the bundle has exactly the SHA-256 hash and the size that the signed manifest names: it is, bit for bit, the file that was captured.
report-check-content-hash-limits = It does not prove that what the file shows is true or unstaged, nor where it was recorded.
report-check-log-commitment = Log commitment
report-check-log-commitment-proves = The commitment written in the log is computed from this manifest and the salt given in the bundle.
report-check-log-commitment-limits = The commitment alone reveals nothing about the file: without the salt, no one can link the log entry to this evidence.
report-check-log-inclusion = Inclusion in the log
report-check-log-inclusion-proves = The commitment is an entry of the relay’s transparency log under a signed checkpoint: the manifest existed when that checkpoint was signed.
report-check-log-inclusion-limits = The checkpoint’s time is the relay’s own statement; the timestamp check gives an independent time.
report-check-checkpoint-signature = Checkpoint signature
report-check-checkpoint-signature-proves = The log checkpoints used here are signed with the relay’s log key given below.
report-check-checkpoint-signature-limits = It does not show that the relay’s clock was right.
report-check-log-consistency = Log consistency
report-check-log-consistency-proves = The checkpoint of the receipt and a later checkpoint belong to one append-only history: no entry was removed or rewritten in between.
report-check-log-consistency-limits = It does not show that every observer saw the same log; comparing checkpoints with other observers does.
report-check-not-before = Earliest capture time
report-check-not-before-proves = The manifest names a log checkpoint the device had seen, so the capture happened after that checkpoint was signed.
report-check-not-before-limits = A device that had been offline for a long time names an old checkpoint: the bound is then loose.
report-check-timestamp = Independent timestamp
report-check-timestamp-proves = A timestamp authority independent of the relay and of the desk signed a log checkpoint that includes the item, at the time shown.
report-check-timestamp-limits = It relies on the authority’s certificate given to the verifier, and on the authority’s clock.
report-check-device-chain = Device chain
report-check-device-chain-proves = The manifest links to the previous manifest from the same device, so deleting or back-dating an item from this device breaks the chain.
report-check-device-chain-limits = The chain can be followed only through the items the desk holds from that device.
report-check-evidence-id-unique = Unique evidence ID
report-check-evidence-id-unique-proves = No other item uses this evidence ID: the item is not a replay of another.
report-check-evidence-id-unique-limits = It does not show that the same scene was not captured twice.
report-check-derivative-record = Redacted copies linked
report-check-derivative-record-proves = Each redacted copy listed below is linked to the original’s hash by a signed record.
report-check-derivative-record-limits = A redacted copy is a different file: it is not the evidence, and its hash differs from the original’s.

report-case-fields-heading = Case fields (as recorded at capture)
report-col-field = Field
report-col-value = Value

report-derivatives-heading = Redacted copies
report-derivatives-explain = A redacted copy is a different file, made for sharing without identifying metadata (location, device, software). It is not the evidence: its hash differs from the original’s, and a signed record links it to the original.
report-col-copy = Copy
report-col-removed = Removed
report-col-link = Signed link
report-link-verified = ✓ verified
report-link-unverified = ✗ NOT verified
report-removed-nothing = nothing (the original held no such metadata)
report-removed-unlisted = identifying metadata (Exif, GPS, XMP, device identifiers), as the signed record says
report-removed-exif = Exif data (camera, serial numbers, capture settings and time)
report-removed-location = GPS location
report-removed-xmp = XMP data (editing history, software)
report-removed-iptc = IPTC data (captions, names, places)
report-removed-icc-profile = colour profile (can name the device’s maker)
report-removed-comment = comment
report-removed-thumbnail = embedded thumbnail
report-removed-multi-picture = additional pictures (depth map, preview)
report-removed-app-segment = JPEG application segment { $segment }
report-removed-text = text chunks
report-removed-time = modification time
report-removed-pixel-density = pixel density
report-removed-chunk = chunk “{ $name }”
report-removed-trailing-data = data after the end of the image

report-verify-heading = Check it yourself
report-verify-body = Anyone can repeat every check with the Sanad verifier, without network access, secrets or an account. In the folder holding the bundle, run:
report-verify-exit = The verifier prints a verdict with its reasons, and ends with exit status 0 only when everything holds.
report-verify-keys = Compare these keys with the ones the organisation publishes, obtained through a channel other than this report:
report-key-log = Relay log public key
report-key-desk = Desk key fingerprint
report-footer = Sanad evidence report, generated { $date }.
