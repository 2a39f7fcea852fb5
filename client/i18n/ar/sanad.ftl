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
error-profile-in-use = أمر أو نافذة أخرى من سند تستخدم هذا الملف الشخصي. انتظر حتى تنتهي (أو أغلقها) ثم حاول مجددًا.
error-store = بيانات الملف الشخصي تالفة.
error-other = { $detail }

## الأدلة

cmd-evidence = الأدلة: الالتقاط، والعرض، والتصدير، وحذف البيانات الوصفية، وتسجيل الأجهزة
cmd-evidence-capture = توقيع ملفات أو شهادة وإرسالها إلى المكتب بوصفها أدلة
cmd-evidence-list = عرض الأدلة وحالة كل منها
cmd-evidence-show = عرض دليل واحد وبيانه ونتائج التحقق منه
cmd-evidence-export = كتابة ملف حزمة يمكن لأي شخص التحقق منه دون اتصال، مع تقرير
cmd-evidence-redact = كتابة نسخة خالية من البيانات الوصفية التي تكشف الهوية، للنشر
cmd-evidence-key = عرض مفتاح الأدلة الخاص بهذا الجهاز (ليسجّله المكتب)
cmd-evidence-desk = تحديد المحادثة التي تُرسَل إليها الأدلة افتراضيًا
cmd-evidence-enrol = تسجيل مفتاح الأدلة لجهاز شريك (للمكتب)
cmd-evidence-devices = عرض الأجهزة التي سجّلها هذا المكتب
cmd-evidence-desk-key = عرض مفتاح التسجيل الخاص بهذا المكتب (المفتاح الذي يثق به المدقّقون)
cmd-anchor = ختم نقطة التحقق الحالية في سجل خادم الترحيل بختم زمني من سلطات ختم زمني (للمكتب)
cmd-verify = التحقق من حزمة أدلة دون اتصال: دون ملف شخصي ودون شبكة ودون أسرار
capture-after-help = يُحسب لكل ملف بصمته الرقمية فورًا، ويُوقَّع بمفتاح الأدلة الخاص بهذا الجهاز ويُشفَّر؛ ثم يُرسَل إلى سجل خادم الترحيل وإلى المكتب، الآن أو عند تنفيذ `sanad sync` في المرة القادمة. الحقول: incident_date، incident_place، place_of_detention_type، ill_treatment_types، consent_recorded، testimony_language، collected_by.
verify-after-help = رمز الخروج 0 فقط عندما تنجح كل عمليات التحقق. أعطِ مفتاح المكتب بالخيار --desk-key لاشتراط أن يكون هذا المكتب قد سجّل الجهاز، وشهادة كل سلطة ختم زمني بالخيار --tsa-cert. وأعطِ مفتاح سجل خادم الترحيل بالخيار --log-key لاشتراط إيصالات ذلك السجل.
arg-evidence-files = الملفات المراد التقاطها (صور، تسجيلات، مستندات)
arg-evidence-id = معرّف الدليل (انظر `sanad evidence list`)
arg-evidence-ids = معرّفات الأدلة (انظر `sanad evidence list`)
arg-bundle = حزمة الأدلة (‎.zip) المراد التحقق منها، أو مجلد حزم (كما صُدِّر)
opt-case = مرجع القضية
opt-case-filter = عناصر هذه القضية فقط
opt-evidence-to = محادثة المكتب (الافتراضي: ما حُدِّد بالأمر `sanad evidence desk`)
opt-field = حقل منظَّم بصيغة الاسم=القيمة (يمكن تكراره)
opt-testimony-from-stdin = التقاط شهادة مكتوبة تُقرأ من الإدخال القياسي
opt-delete-original = حذف كل ملف أصلي بمجرد أن تصبح نسخته المشفّرة في أمان
opt-bundle-out = مكان كتابة الحزمة (يجب ألا يكون موجودًا)
opt-strip-metadata = إزالة بيانات EXIF وGPS وغيرها من البيانات الوصفية التي تكشف الهوية
opt-key-qr = عرض المفتاح أيضًا على شكل رمز QR
opt-device-key = مفتاح الأدلة الخاص بالجهاز (64 رقمًا ست عشريًا، يعرضها الأمر `sanad evidence key` على الجهاز)
opt-device-label = تسمية مستعارة للجهاز (دون اسم أي شخص)
opt-device-org = المنظمة الشريكة
opt-enrol-send-to = إرسال التسجيل أيضًا إلى الجهاز عبر هذه المحادثة
opt-tsa = عنوان URL لسلطة ختم زمني (يمكن تكراره)
opt-tsa-cert-anchor = شهادة (PEM أو DER) كل سلطة ختم زمني، بالترتيب نفسه
opt-tsa-cert = شهادة (PEM أو DER) لسلطة ختم زمني موثوق بها (يمكن تكراره)
opt-desk-key = مفتاح تسجيل لمكتب موثوق به (ست عشري، يمكن تكراره)
opt-log-key = مفتاح سجل خادم الترحيل الموثوق به، كما يطبعه `sanad-relay log-key` (يمكن تكراره)
capture-encrypting = جارٍ حساب البصمة والتوقيع والتشفير…
evidence-state =
    { $state ->
        [captured] مُلتقَط
        [committed] مُدرَج في السجل
        [uploaded] مرفوع
        [delivered] سُلِّم إلى المكتب
        [confirmed] أكّد المكتب استلامه
        [received] مُستلَم، لم يُتحقَّق منه بعد
        [verified] تم التحقق منه
        [failed] فشل أحد الفحوص
       *[other] { $state }
    }
evidence-captured = { $id }: «{ $name }» للقضية { $case } — { $state }
evidence-line = { $id } [{ $date }] { $case } — «{ $name }» ({ $size }) — { $state }
evidence-none = لا توجد أدلة بعد.
evidence-show-id = الدليل { $id } (معرّف الدليل { $evidence })
evidence-show-case = القضية: { $case }
evidence-show-file = الملف: «{ $name }»، { $kind }، { $size }
evidence-show-sha256 = SHA-256: { $hash }
evidence-show-device-time = ساعة الجهاز عند الالتقاط (غير موثوقة): { $date }؛ الالتقاط رقم { $sequence } لهذا الجهاز
evidence-show-log = في سجل خادم الترحيل عند الموضع { $index }؛ وقّع الخادم نقطة التحقق هذه في { $date }
evidence-show-field = { $name }: { $value }
evidence-show-state = الحالة: { $state }
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
evidence-key = مفتاح الأدلة الخاص بهذا الجهاز: { $key }
evidence-key-enrolled = سجّل المكتب هذا الجهاز باسم «{ $label }» التابع لـ{ $org }.
evidence-key-not-enrolled = لم يُسجَّل بعد: اعرض هذا المفتاح على المكتب (شخصيًا، أو اقرأه بصوت عالٍ) ليسجّله.
evidence-desk-set = ستُرسَل الأدلة إلى { $name } ما لم تحدّد غير ذلك بالخيار --to.
evidence-desk-key = مفتاح التسجيل الخاص بهذا المكتب: { $key }
evidence-desk-key-hint = انشر هذا المفتاح حيث يجده المدقّقون: يتحقق الأمر `sanad verify --desk-key` من التسجيلات باستخدامه.
evidence-enrolled = تم تسجيل «{ $label }» التابع لـ{ $org }. ستظهر أدلته على أنها التُقطت بهذا الجهاز المسجَّل.
evidence-no-devices = لا توجد أجهزة مسجَّلة بعد.
evidence-device-line = { $label } — { $org } — { $key } (سُجِّل في { $date })
sync-evidence = الأدلة: { PLURAL($count) ->
        [zero] لم يُتحقَّق من أي دليل
        [one] تم التحقق من دليل واحد
        [two] تم التحقق من دليلين
        [few] تم التحقق من { $count } أدلة
        [many] تم التحقق من { $count } دليلًا
       *[other] تم التحقق من { $count } دليل
    }
error-unknown-evidence = لا يوجد دليل بهذا المعرّف. انظر `sanad evidence list`.
error-no-evidence-desk = إلى أين يُرسَل الدليل؟ حدّد المكتب بالخيار --to، أو حدّده مرة واحدة بالأمر `sanad evidence desk NAME`.
error-empty-testimony = الشهادة فارغة: لم يُلتقَط شيء.
error-testimony-not-text = الشهادة ليست نصًا (UTF-8): لم يُلتقَط شيء.
error-bad-device-key = هذا ليس مفتاح أدلة لجهاز: أعطِ الأرقام الست عشرية الـ64 التي يعرضها الأمر `sanad evidence key` على الجهاز.
error-bad-log-key = هذا ليس مفتاح سجل: أعطِ السطر كاملًا كما يطبعه `sanad-relay log-key` على خادم الترحيل.
error-bad-field = الحقل «{ $name }» غير معروف أو قيمته لا تطابق قاعدته. انظر `sanad evidence capture --help`.
error-manifest = تعذّر توقيع الدليل: { $detail }
export-working = جارٍ فك تشفير حزم الأدلة وكتابتها والتحقق منها…
export-bundle = حزمة الأدلة: { $path }
export-report = التقرير: { $path }
export-hint = سلّم المجلد { $path } كاملًا؛ ويستطيع أي شخص التحقق منه بالأمر `sanad verify`.
redact-done = كُتب الملف { $path } ({ $size }): { PLURAL($removed) ->
        [zero] لم يكن في الأصل أي بيانات وصفية تكشف الهوية
        [one] تمت إزالة نوع واحد من البيانات الوصفية
        [two] تمت إزالة نوعين من البيانات الوصفية
        [few] تمت إزالة { $removed } أنواع من البيانات الوصفية
        [many] تمت إزالة { $removed } نوعًا من البيانات الوصفية
       *[other] تمت إزالة { $removed } نوع من البيانات الوصفية
    }.
redact-hint = يربط سجل موقَّع هذه النسخة بالأصل؛ وتتضمّنه حزم الأدلة المُصدَّرة للأصل.
anchor-done = ختمت { $authority } السجل بختم زمني حين كان عدد مدخلاته { $size }: { $date }.
verify-bundle = حزمة الأدلة { $path }
check-name = { $check ->
        [container] حاوية حزمة الأدلة
        [parts] أجزاء حزمة الأدلة
        [manifest-signature] توقيع الجهاز على البيان
        [content] مطابقة الملف للبيان
        [log-key] مفتاح السجل
        [receipt] إيصال السجل
        [commitment] الالتزام المُدرَج في السجل
        [enrolment] تسجيل الجهاز
        [desk-key] مفتاح المكتب
        [seen-checkpoint] نقطة التحقق التي رآها الجهاز
        [seen-consistent] لا تفرّع منذ نقطة التحقق التي رآها الجهاز
        [latest-checkpoint] لا تفرّع حتى نقطة تحقق حديثة
        [device-time] وقت الجهاز
        [evidence-id-new] معرّف دليل جديد
        [file] الملف المستلَم
        [enrolled] تسجيل الجهاز
        [log-consistent] لا تفرّع حتى نقطة تحقق حديثة
        [file-matches-manifest] الملف المستلَم
       *[other] { $check }
    }
verify-not-run = { $reason ->
        [not-run-earlier-failure] فشل فحص سابق
        [not-run-not-pinned] لم يُعطَ مفتاح موثوق، فاستُخدم مفتاح الحزمة نفسها
        [not-run-no-seen-checkpoint] لم يكن الجهاز قد رأى أي نقطة تحقق
        [not-run-no-time] لا يوجد وقت لنقطة تحقق للمقارنة به
        [not-run-no-tsa-certificates] لم تُعطَ شهادة لسلطة الختم الزمني مع --tsa-cert
       *[other] { $reason }
    }
verify-name-anchor = الختم الزمني { $n }
verify-name-derivative = النسخة المنقّحة { $n }
verify-check-passed = {"  "}✓ { $check }
verify-check-failed = {"  "}✗ { $check }: { $reason } [{ $error }]
verify-check-not-run = {"  "}– { $check }: لم يُتحقَّق منه ({ $reason })
verify-failure = { $error ->
        [evidence-id-replayed] عنصر سابق يحمل معرّف الدليل نفسه: إنها إعادة إرسال
        [device-not-enrolled-here] لم يسجّل هذا المكتب الجهاز
        [manifest-signature-invalid] توقيع الجهاز لا يطابق البيان: فقد عُدِّل البيان أو وُقِّع بمفتاح آخر
        [content-hash-mismatch] الملف ليس الملف الذي وُقِّع: بصمة SHA-256 الخاصة به مختلفة
        [content-truncated] الملف أقصر من الملف الذي وُقِّع
        [content-too-long] الملف أطول من الملف الذي وُقِّع
        [device-not-enrolled] لا تتضمّن حزمة الأدلة أي تسجيل للجهاز
        [enrolment-signature-invalid] التسجيل غير موقَّع بمفتاح المكتب
        [desk-key-mismatch] لا يذكر التسجيل مفتاح هذا الجهاز أو لا يذكر هذا المكتب
        [desk-key-untrusted] مفتاح المكتب ليس من المفاتيح التي قلت إنك تثق بها
        [log-key-untrusted] مفتاح السجل ليس من المفاتيح التي قلت إنك تثق بها
        [receipt-other-log] الإيصال صادر عن سجل آخر
        [checkpoint-other-log] إحدى نقاط التحقق صادرة عن سجل آخر
        [checkpoint-signature-invalid] لا يصحّ التحقق من توقيع إحدى نقاط التحقق أو من وقتها
        [inclusion-proof-invalid] إثبات وجود الالتزام في السجل غير صحيح
        [inclusion-other-leaf] إثبات السجل يخص مدخلًا آخر
        [commitment-mismatch] مدخل السجل ليس التزام هذا البيان
        [seen-checkpoint-missing] نقطة التحقق التي كان الجهاز قد رآها مفقودة
        [seen-checkpoint-unexpected] قُدِّمت نقطة تحقق رآها الجهاز مع أن البيان لا يذكر أي نقطة تحقق
        [seen-checkpoint-mismatch] نقطة التحقق التي رآها الجهاز ليست النقطة التي يذكرها البيان
        [seen-checkpoint-after-commitment] نقطة التحقق التي رآها الجهاز لاحقة لمدخل السجل
        [checkpoint-older-than-receipt] نقطة تحقق لاحقة أقدم من نقطة التحقق الواردة في الإيصال
        [log-fork] نقاط التحقق في السجل غير متّسقة: فقد تفرّع السجل أو أُعيدت كتابته
        [device-time-before-seen-checkpoint] وقت الجهاز سابق لنقطة تحقق كان الجهاز قد رآها من قبل: فقد أُرِّخ الالتقاط بتاريخ سابق
        [device-time-after-receipt] وقت الجهاز لاحق لمدخل السجل
        [device-time-after-anchor] وقت الجهاز لاحق لختم زمني مستقل
        [tsa-token-malformed] تتعذّر قراءة أحد رموز الختم الزمني
        [tsa-token-other-hash] أحد رموز الختم الزمني يخص بيانات أخرى
        [tsa-signature-invalid] لا يصحّ التحقق من توقيع أحد رموز الختم الزمني
        [tsa-untrusted] أحد رموز الختم الزمني صادر عن سلطة لم تقل إنك تثق بها
        [derivative-signature-invalid] سجل الربط الخاص بإحدى النسخ المنقّحة غير موقَّع توقيعًا صحيحًا
        [derivative-other-original] سجل الربط الخاص بإحدى النسخ المنقّحة يخص أصلًا آخر
        [derivative-signer-unknown] سجل الربط الخاص بإحدى النسخ المنقّحة موقَّع بمفتاح ليس مفتاح المكتب
        [bundle-too-many-entries] تحوي حزمة الأدلة أجزاء أكثر مما يمكن أن تحويه أي حزمة
        [bundle-malformed] حزمة الأدلة ليست ملف ZIP سليم البنية من نوع سند
        [bundle-duplicate-entry] تحوي حزمة الأدلة الجزء نفسه مرتين
        [bundle-unknown-entry] تحوي حزمة الأدلة جزءًا لا يكون أبدًا في حزمة سند
        [bundle-unsafe-name] يحمل أحد أجزاء حزمة الأدلة اسمًا قد يكتب خارج المجلد
        [bundle-unsupported-version] حزمة الأدلة بإصدار تنسيق لا يعرفه هذا البرنامج: حدّث سند
        [bundle-too-large] حزمة الأدلة أكبر من الحجم الأقصى الممكن لأي حزمة
        [bundle-crc-mismatch] جزء من حزمة الأدلة تالف (فشل مجموع التحقق الخاص به)
        [part-missing] جزء من حزمة الأدلة مفقود
        [part-too-large] جزء من حزمة الأدلة كبير جدًا
        [part-malformed] تتعذّر قراءة جزء من حزمة الأدلة
       *[other] هذه ليست حزمة أدلة صالحة من سند
    }
verify-ok = تم التحقق: التقطه الجهاز المسجَّل «{ $device }» التابع لـ{ $org }، القضية { $case }.
verify-hash = بصمة SHA-256 للملف: { $hash }
verify-device-time = ساعة الجهاز (غير موثوقة): { $date }
verify-not-before = وقت الالتقاط ليس قبل: { $date } (نقطة تحقق من السجل كان الجهاز قد رآها)
verify-not-after-relay = وقت الالتقاط ليس بعد: { $date } (الوقت الذي وقّعه خادم الترحيل في سجله)
verify-not-after-tsa = وقت الالتقاط ليس بعد: { $date } (ختم زمني مستقل من { $authority })
verify-desk-key-not-pinned = استُخدم مفتاح المكتب الموجود داخل حزمة الأدلة: قارنه بالمفتاح الذي ينشره المكتب، أو أعطه بالخيار --desk-key.
verify-bundle-failed = لم يتم التحقق: حزمة الأدلة هذه لا تثبت ما تدّعيه.
verify-chain-ok = الأدلة، وعددها { $count }، متّسقة مع السلسلة المرقَّمة لكل جهاز.
verify-chain-gaps = بعض أدلة أحد الأجهزة ليست في هذه المجموعة (عدد الفجوات في ترقيمه: { $gaps }): فإما أنه تصدير لبعض الأدلة فقط، وإما أن أدلة قد حُذفت.
verify-chain-broken = سلاسل الأجهزة مقطوعة: عدد معرّفات الأدلة المُعاد استخدامها { $replayed }، وعدد التفرّعات { $forks }، وعدد الروابط المقطوعة { $links }.
verify-all-ok = { PLURAL($count) ->
        [zero] لم يُعثَر على أي حزمة أدلة.
        [one] تم التحقق من حزمة الأدلة.
        [two] تم التحقق من حزمتَي الأدلة كلتيهما.
        [few] تم التحقق من جميع الحزم: { $count } حزم أدلة.
        [many] تم التحقق من جميع الحزم: { $count } حزمة أدلة.
       *[other] تم التحقق من جميع الحزم: { $count } حزمة أدلة.
    }
verify-not-ok = فشل التحقق: انظر الأسطر التي تبدأ بالعلامة ✗ أعلاه.
error-evidence-not-verified = لا يمكن تصدير دليل أو إنشاء نسخة منقّحة منه إلا إذا استُلم هنا وتم التحقق منه. انظر `sanad evidence show ID`.
error-device-not-enrolled = الجهاز الذي التقط هذا الدليل غير مسجَّل: سجّله أولًا (`sanad evidence enrol`).
error-export-did-not-verify = لم تنجح حزمة الأدلة المكتوبة في اجتياز أداة التحقق ({ $error })؛ ولم يُحتفَظ بأي شيء.
error-tsa-cert-count = أعطِ خيار --tsa-cert واحدًا لكل خيار --tsa، بالترتيب نفسه.
error-bad-certificate = تتعذّر قراءة ملف الشهادة هذا (يُتوقَّع PEM أو DER).
error-no-bundles = لا توجد هنا أي حزمة أدلة (ملف zip).
error-anchor = فشل الختم الزمني: { $detail }
error-redact = لم تُنشأ أي نسخة: { $detail }
