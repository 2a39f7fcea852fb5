# رسائل سطر الأوامر في سند: العربية.
# يجب أن توجد هنا كل رسالة من en/ بالمتغيرات نفسها
# (يُتحقَّق من ذلك بالأمر `cargo test -p sanad-client i18n`).
# لا تُدرَج محارف التحكم في الاتجاه يدويًا: البرنامج يضيفها تلقائيًا.
# صيغ الجمع: اكتب { PLURAL($n) -> [zero] … [one] … [two] … [few] … [many] … *[other] … }
# وليس { $n -> … } (قواعد الجمع المضمّنة في Fluent تخطئ في ١٠٣ و١١١ وأمثالهما).

## Help

app-about = سند: رسائل وملفات مشفّرة من طرف إلى طرف عبر خادم ترحيل سند.
app-after-help = ابدأ بالأمر `sanad init`، ثم `sanad invite`. تُؤخذ عبارة المرور من SANAD_PASSPHRASE أو من --passphrase-file، وإلا فسيُطلب منك إدخالها.
help-usage = طريقة الاستخدام:
help-commands = الأوامر:
help-arguments = الوسائط:
help-options = الخيارات:
opt-help = عرض هذه المساعدة
opt-version = عرض رقم الإصدار
opt-profile = مجلد الملف الشخصي (الافتراضي: مجلد بياناتك؛ أو SANAD_PROFILE)
opt-lang = اللغة: en أو fr أو ar (الافتراضي: حسب إعدادات النظام)
opt-passphrase-file = قراءة عبارة المرور من السطر الأول في هذا الملف
opt-json = مخرجات قابلة للمعالجة الآلية (JSON)
opt-quiet = دون أشرطة تقدّم أو تلميحات
opt-relay = سطر عنوان خادم الترحيل (sanad://host:port?pin=…) كما يقدّمه مشغّل الخادم
opt-name = اسمك كما ستراه جهات اتصالك
opt-qr = عرض الدعوة أيضًا على شكل رمز QR
opt-qr-svg = حفظ رمز QR الخاص بالدعوة أيضًا في ملف SVG هذا
opt-valid-days = عدد أيام صلاحية الدعوة (من ١ إلى { $max }؛ الافتراضي { $default })
opt-contact-name = الاسم الذي تعطيه لجهة الاتصال هذه
opt-confirm = تسجيل جهة الاتصال على أنها مُتحقَّق منها (بعد مقارنة رقم الأمان)
opt-file = إرسال هذا الملف بدلًا من نص
opt-out = مكان حفظ الملف (يجب ألّا يكون موجودًا من قبل)
opt-yes = عدم طلب التأكيد
opt-update-every-messages = جدّد مفاتيحك في المحادثة بعد هذا العدد من الرسائل التي ترسلها فيها
opt-update-every-days = جدّد مفاتيحك في كل محادثة مرة على الأقل خلال هذه المدة (بالأيام)
arg-invite = سطر الدعوة (sanad-invite:…)
arg-contact = اسم جهة اتصال
arg-contacts = أسماء جهات الاتصال
arg-conversation = اسم جهة اتصال أو مجموعة
arg-group = اسم مجموعة
arg-to = المُرسَل إليه: اسم جهة اتصال أو مجموعة
arg-text = نص الرسالة
arg-message-id = مُعرِّف الرسالة الظاهر بجانب الملف
cmd-init = إنشاء ملفك الشخصي وتسجيله على خادم ترحيل
cmd-whoami = عرض ملفك الشخصي
cmd-invite = عرض دعوة يستخدمها شخص ما لإضافتك
cmd-contact = جهات الاتصال: إضافة، عرض، تحقق
cmd-contact-add = إضافة جهة اتصال من دعوتها
cmd-contact-list = عرض قائمة جهات اتصالك
cmd-contact-verify = عرض رقم الأمان المشترك مع جهة اتصال، أو تأكيده
cmd-send = إرسال رسالة أو ملف
cmd-sync = جلب الرسائل الجديدة وإرسال ما ينتظر في صندوق الصادر
cmd-inbox = عرض جميع المحادثات
cmd-read = عرض محادثة واحدة
cmd-save = حفظ ملف مُستلَم
cmd-group = المجموعات: إنشاء، إضافة، إزالة، عرض، تحقق
cmd-group-create = إنشاء مجموعة
cmd-group-add = إضافة جهات اتصال إلى مجموعة
cmd-group-remove = إزالة جهات اتصال من مجموعة
cmd-group-list = عرض قائمة محادثاتك
cmd-group-check = عرض رمز التحقق الخاص بمجموعة (وهو نفسه لدى جميع الأعضاء)
cmd-outbox = ما ينتظر الإرسال
cmd-outbox-list = عرض قائمة ما ينتظر الإرسال
cmd-outbox-flush = إرسال ما ينتظر الآن
cmd-update-keys = تجديد مفاتيحك في محادثة الآن
cmd-settings = عرض أو تغيير عدد مرات تجديد مفاتيحك
cmd-panic = إتلاف مفتاح هذا الملف الشخصي: لن يمكن فتح أي شيء فيه بعد ذلك أبدًا

## Results

init-deriving = جارٍ حماية مفتاحك بعبارة المرور (يستغرق ذلك بضع ثوانٍ)…
init-done = تم إنشاء الملف الشخصي باسم { $name }.
init-where = وهو محفوظ في { $path }.
init-next = الخطوة التالية: شغّل `sanad invite` وسلّم السطر الناتج إلى جهة اتصالك عبر قناة تثق بها.
whoami-name = الاسم: { $name }
whoami-relay = خادم الترحيل: { $relay }
whoami-profile = الملف الشخصي: { $path }
invite-hint = هذه الدعوة صالحة حتى { $expires }. لا تعطها إلا للشخص الذي تريد التواصل معه.
invite-svg-written = تم حفظ رمز QR في { $path }.
contact-added = تمت إضافة { $name } إلى جهات اتصالك.
contact-verify-hint = قارن رقم الأمان بينك وبين { $name }: sanad contact verify "{ $name }"
contact-key-changed = تحذير: تغيّر مفتاح { $name }. إلى أن تقارن رقم الأمان من جديد، قد يكون شخص آخر قادرًا على قراءة مراسلاتكما. لا ترسل أي شيء حسّاس.
contact-none = لا توجد جهات اتصال بعد. أضف جهة اتصال بالأمر `sanad contact add INVITE --name NAME`.
contact-line = { $name } — { $status }
contact-status-verified = تم التحقق
contact-status-unverified = لم يتم التحقق
contact-status-changed = تنبيه: تغيّر المفتاح، لم يتم التحقق
contact-verified = تم تسجيل جهة الاتصال { $name } على أنها مُتحقَّق منها.
verify-intro = رقم الأمان مع { $name }:
verify-how = قارن هذه الأرقام مع { $name } وجهًا لوجه أو خلال مكالمة. إذا كانت متطابقة، فشغّل: sanad contact verify "{ $name }" --confirm
verify-already = سبق أن تحققت من { $name }؛ ولم تتغير الأرقام.
send-encrypting = جارٍ تشفير الملف قبل إرساله…
send-sent = تم الإرسال إلى { $name }.
send-queued = يتعذّر الوصول إلى خادم الترحيل: رسالتك إلى { $name } محفوظة، وستُرسَل عند تنفيذ `sanad sync` في المرة القادمة.
sync-summary = وارد جديد: { $received }، مُرسَل: { $sent }، بانتظار الإرسال: { $queued }.
sync-offline = يتعذّر الوصول إلى خادم الترحيل؛ بانتظار الإرسال: { $queued }.
history-empty = لا توجد رسائل.
history-me = أنا
history-line = [{ $time }] { $conversation } — { $from }: { $body }{ $state }
history-file = ملف «{ $name }» ({ $size })؛ لحفظه: sanad save { $id } --out FILE
history-queued = (بانتظار الإرسال)
event-joined = بدأت المحادثة
event-added = تمت إضافة { $names }
event-removed = تمت إزالة { $names }
event-you-were-removed = تمت إزالتك من هذه المجموعة
event-rejected = رُفضت رسالة: إمّا أنها عُدِّلت، أو أُعيد بثّها، أو أرسلها شخص ليس عضوًا
event-unsupported = رسالة من نوع لا يستطيع هذا الإصدار عرضه (حدِّث سند)
event-key-updated = جُدِّدت المفاتيح
save-done = تم حفظ «{ $name }» ({ $size }) في { $path }؛ وبصمته الرقمية تطابق ما وقّعه المُرسِل.
group-created = تم إنشاء المجموعة { $name }. أضف أشخاصًا بالأمر: sanad group add "{ $name }" CONTACT…
group-added = تمت إضافة { $members } إلى { $name }.
group-removed = تمت إزالة { $members } من { $name }. لن يتمكنوا من قراءة أي شيء يُرسَل من الآن فصاعدًا.
group-none = لا توجد محادثات بعد.
group-line-team = { $name } (مجموعة): { $members }
group-line-direct = { $name }
group-alone = أنت فقط
group-inactive = (لم تعد من أعضائها)
group-pending = (تغيير بانتظار خادم الترحيل)
group-check = رمز التحقق للمجموعة { $name }:
group-check-how = يرى جميع الأعضاء الرمز نفسه. إذا اختلف رمز أحدهم، فقد انقسمت المجموعة: أبلغ المكتب.
outbox-empty = لا شيء ينتظر الإرسال.
outbox-line = { $kind } إلى { $to }
outbox-line-unnamed = { $kind }
outbox-kind-file = ملف
outbox-kind-message = رسالة
outbox-kind-control = تحديث مفاتيح أو مجموعة
outbox-flushed = أُرسل: { $sent }، وما زال بانتظار الإرسال: { $queued }.
update-keys-done = تم تجديد مفاتيحك في هذه المحادثة.
settings-update-policy = تُجدَّد مفاتيحك في كل محادثة بعد إرسالك فيها عدد رسائل قدره { $messages }، أو كل { $days } يومًا.
passphrase-prompt = عبارة المرور:
passphrase-again = أعد إدخال عبارة المرور:
panic-explain = سيؤدي هذا إلى إتلاف مفتاح الملف الشخصي الموجود في { $path }. ستصبح رسائله وجهات اتصاله وملفاته غير قابلة للقراءة إلى الأبد، حتى بالنسبة إليك.
panic-confirm = للمتابعة، اكتب كلمة «إتلاف» كما هي تمامًا:
panic-confirm-word = إتلاف
panic-cancelled = لم يُتلَف أي شيء.
panic-done = تم إتلاف المفتاح. لم يعد من الممكن فتح هذا الملف الشخصي.
panic-limits = ما لا يحمي منه هذا الإجراء: نسخ الملف الشخصي التي أُخذت من قبل (النسخ الاحتياطية، أو صورة قرص مُصادَر)، والكتل القديمة التي تحتفظ بها وسيلة التخزين (ذاكرة الفلاش)، وبرامج التجسس التي تكون قد قرأت المفتاح من قبل، وما تحتفظ به جهات اتصالك وخادم الترحيل (لا يحتفظ خادم الترحيل إلا ببيانات مشفّرة).
unit-bytes =
    { PLURAL($n) ->
        [zero] { $n } بايت
        [one] بايت واحد
        [two] بايتان
        [few] { $n } بايتات
        [many] { $n } بايتًا
       *[other] { $n } بايت
    }
unit-kib = { $n } كيلوبايت
unit-mib = { $n } ميغابايت
unit-gib = { $n } غيغابايت
tried-both = تمت تجربة QUIC (UDP) و TLS (TCP)
tried-quic = تمت تجربة QUIC (UDP)
tried-tcp = تمت تجربة TLS (TCP)
tried-none = تعذّرت تجربة أي وسيلة اتصال
progress-line = { $done } من { $total } · { $rate }/ث · المتبقي { $left }

## Errors

error-prefix = خطأ: { $message }
error-arguments = سطر الأوامر غير صالح:
error-args-unknown = أمر أو خيار غير معروف: { $arg }. راجع `sanad --help`.
error-args-missing = هناك شيء ناقص: { $arg }. راجع --help الخاص بالأمر.
error-args-no-command = حدّد ما تريد فعله، مثل `sanad sync`. راجع `sanad --help`.
error-args-invalid = القيمة { $value } غير صالحة لـ { $arg }. راجع --help الخاص بالأمر.
error-args-conflict = لا يمكن استخدام هذه معًا: { $arg }.
error-runtime = تعذّر تشغيل Sanad (لم تبدأ خيوط التنفيذ الخاصة به).
error-unreachable = يتعذّر الوصول إلى خادم الترحيل ({ $tried }). تحقق من اتصالك؛ كل ما ترسله يُحفَظ ويُرسَل لاحقًا.
error-pin-mismatch = خادم الترحيل هذا ليس الخادم المذكور في دعوتك: مفتاحه غير مطابق. لا تتابع؛ وأبلغ الشخص الذي أعطاك العنوان.
error-connection-lost = انقطع الاتصال بخادم الترحيل. أعد المحاولة؛ لم يضِع شيء.
error-quota = صندوق بريد المستلِم على خادم الترحيل ممتلئ. أعد المحاولة لاحقًا.
error-relay-full = مساحة التخزين في خادم الترحيل ممتلئة. أبلغ مشغّل الخادم.
error-too-large = الحجم أكبر مما يقبله خادم الترحيل (الحد الأقصى { $limit }).
error-unknown-mailbox = لا يعرف خادم الترحيل صندوق بريد هذه المحادثة (ربما انتهت صلاحيته).
error-unknown-blob = لم يعد هذا الملف موجودًا على خادم الترحيل (ربما انتهت صلاحيته). اطلب من المُرسِل إرساله مرة أخرى.
error-relay-stopping = يُعاد تشغيل خادم الترحيل. أعد المحاولة بعد دقيقة.
error-relay-refused = رفض خادم الترحيل الطلب ({ $code }).
error-invite-expired = انتهت صلاحية هذه الدعوة. اطلب دعوة جديدة.
error-invite-not = هذه ليست دعوة سند (تبدأ دعوة سند بالعبارة sanad-invite:).
error-invite-damaged = هذه الدعوة تالفة: فُقد جزء منها أو تغيّر أثناء نسخها. اطلبها مرة أخرى.
error-invite-version = هذه الدعوة صادرة عن إصدار أحدث من سند. حدِّث سند.
error-relay-address = تتعذّر قراءة عنوان خادم الترحيل هذا (الصيغة المتوقعة: sanad://host:port?pin=…).
error-other-relay = هذه الدعوة خاصة بخادم ترحيل غير الخادم الذي يستخدمه ملفك الشخصي.
error-own-invite = هذه دعوتك أنت.
error-already-contact = هذا الشخص موجود بالفعل ضمن جهات اتصالك.
error-unknown-name = لا توجد جهة اتصال أو مجموعة بهذا الاسم. راجع `sanad contact list` و `sanad group list`.
error-unknown-message = لا توجد رسالة بهذا المُعرِّف. راجع `sanad inbox`.
error-not-a-file = هذه الرسالة ليست ملفًا يمكنك حفظه.
error-name-taken = هذا الاسم مستخدم بالفعل لجهة اتصال أو مجموعة.
error-invalid-name = لا يمكن استخدام هذا الاسم: إمّا أنه فارغ، أو طويل جدًا، أو يحتوي على محارف تحكّم.
error-no-key-package = لم يرسل جهاز جهة الاتصال هذه بعدُ المفتاح اللازم لإضافتها إلى مجموعة. اطلب منها تشغيل `sanad sync`، ثم شغّل `sanad sync` بنفسك.
error-already-member = جهة الاتصال هذه عضو بالفعل في هذه المجموعة.
error-not-a-member = جهة الاتصال هذه ليست عضوًا في هذه المجموعة.
error-not-member = لم تعد من أعضاء هذه المحادثة.
error-not-a-team = هذه جهة اتصال، وليست مجموعة.
error-integrity = الملف المستلَم لا يطابق ما وقّعه مُرسِله. لم يتم حفظه.
error-wrong-passphrase = عبارة المرور غير صحيحة.
error-no-profile = لا يوجد ملف شخصي في هذا المكان. أنشئ ملفًا بالأمر `sanad init`.
error-profile-exists = يوجد ملف شخصي بالفعل في هذا المكان.
error-profile = تعذّر فتح الملف الشخصي: { $detail }
error-passphrase-required = عبارة المرور مطلوبة: عيّن SANAD_PASSPHRASE أو استخدم --passphrase-file.
error-passphrase-mismatch = عبارتا المرور مختلفتان. لم يُنشأ أي شيء.
error-passphrase-short =
    { PLURAL($min) ->
        [few] يجب أن تتكون عبارة المرور من { $min } أحرف على الأقل.
        [many] يجب أن تتكون عبارة المرور من { $min } حرفًا على الأقل.
       *[other] يجب أن تتكون عبارة المرور من { $min } حرف على الأقل.
    }
error-commit-conflict = عدّل شخص آخر المجموعة في اللحظة نفسها. أعد تنفيذ الأمر.
error-mls = رفض تشفير المحادثة هذا الإجراء: { $detail }
error-io = خطأ في ملف: { $detail }
error-confirm-needs-terminal = تتطلّب كتابة كلمة التأكيد واجهة طرفية (terminal). للإتلاف دون سؤال، أضف الخيار --yes.
error-qr-too-long = الدعوة أطول من أن تُعرَض على شكل رمز QR. أعطِ سطر النص بدلًا من ذلك.
error-profile-dir-not-empty = هذا المجلد ليس فارغًا. اختر مجلدًا جديدًا أو فارغًا للملف الشخصي.
error-key-file-damaged = ملف المفتاح الخاص بالملف الشخصي تالف؛ لا يمكن فتح الملف الشخصي.
error-profile-newer = أُنشئ هذا الملف الشخصي بإصدار أحدث من سند. حدِّث سند.
error-profile-incomplete = الملف الشخصي غير مكتمل: بياناته مفقودة.
error-no-default-location = لا يوجد في هذا النظام مكان افتراضي للملفات الشخصية. اختر مكانًا بالخيار --profile DIR.
error-file-not-found = هذا الملف أو المجلد غير موجود.
error-file-permission = تم رفض الإذن: لا يمكن قراءة هذا الملف أو المجلد أو الكتابة فيه.
error-file-exists = يوجد ملف بالفعل في هذا المكان. اختر اسمًا آخر؛ لم يُستبدَل أي شيء.
error-not-regular-file = هذا ليس ملفًا عاديًا. أرسل ملفًا واحدًا في كل مرة.
error-file-changed = تغيّر الملف أثناء قراءته. حاول مرة أخرى عندما لا يكتب فيه أي برنامج.
error-file-too-large = هذا الملف أكبر مما يقبله خادم الترحيل.
error-store = بيانات الملف الشخصي تالفة.
error-other = { $detail }
