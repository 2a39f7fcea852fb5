# تقرير الأدلة (client/src/evidence/report.rs): صفحة HTML يصدّرها مكتب الأدلة
# مع الحزمة، للمحققين والمحامين والمحاكم.
# يجب أن توجد هنا كل رسالة من en/report.ftl بالمتغيرات نفسها.
# لا وسوم في الرسائل: التقرير يهرّب كل ما يعرضه. ولا تُدرَج محارف التحكم في الاتجاه يدويًا.
# صيغ الجمع: { PLURAL($n) -> [zero] … [one] … [two] … [few] … [many] … *[other] … }

report-title = تقرير التحقق من الأدلة
report-generated = أعدّه مكتب الأدلة في { $date }، انطلاقًا من حزمة التصدير { $bundle }.
report-summary =
    { PLURAL($total) ->
        [zero] لا تحتوي هذه الحزمة على أي دليل.
        [one] تحتوي هذه الحزمة على دليل واحد.
        [two] تحتوي هذه الحزمة على دليلين.
        [few] تحتوي هذه الحزمة على { $total } أدلة.
        [many] تحتوي هذه الحزمة على { $total } دليلًا.
       *[other] تحتوي هذه الحزمة على { $total } دليل.
    }
report-summary-all-passed = نجحت كل عمليات التحقق لكل الأدلة.
report-summary-failed =
    { PLURAL($failed) ->
        [one] فشل التحقق من دليل واحد: اقرأ القسم الخاص به قبل الاعتماد عليه.
        [two] فشل التحقق من دليلين: اقرأ القسمين الخاصين بهما قبل الاعتماد عليهما.
        [few] فشل التحقق من { $failed } أدلة: اقرأ الأقسام الخاصة بها قبل الاعتماد عليها.
        [many] فشل التحقق من { $failed } دليلًا: اقرأ الأقسام الخاصة بها قبل الاعتماد عليها.
       *[other] فشل التحقق من { $failed } دليل: اقرأ الأقسام الخاصة بها قبل الاعتماد عليها.
    }
report-not-proof = هذا التقرير أداة مساعدة على القراءة. أمّا الإثبات فهو الحزمة نفسها، ويستطيع أي شخص أن يتحقق منها من جديد (انظر «تحقّق بنفسك»). وإذا اختلف هذا التقرير مع أداة التحقق، فالصواب ما تقوله أداة التحقق.

report-reading-heading = كيف تقرأ هذا التقرير
report-reading-body = وُقِّع كل دليل على الجهاز الذي التقطه، بمفتاح الأدلة الخاص بذلك الجهاز. ثم كُتب التزام مُملَّح بوصفه الموقَّع (البيان) في سجل الشفافية العام لخادم الترحيل، وهو سجل لا يمكن إعادة كتابته دون أن يُكشَف ذلك. وتؤكد عمليات التحقق أدناه هذه الخطوات انطلاقًا من الحزمة وحدها، دون أي سرّ ودون اتصال بالشبكة. وتذكر كل عملية تحقق ما تثبته وما لا تثبته.
report-reading-source = حمايةً للأشخاص المعنيين، يسمّي التقرير الأجهزة بالاسم المستعار الذي أعطاها إياه المكتب، ولا يسمّيها أبدًا باسم من كان يحملها.

report-times-heading = عن الأوقات
report-time-device = ساعة الجهاز (غير موثوقة)
report-time-device-explain = ما كانت تشير إليه ساعة الجهاز الذي التقط الدليل. قد تكون ساعة الهاتف خاطئة أو مضبوطة يدويًا: هذا الوقت لا يثبت شيئًا، ويُعرض للاطلاع فقط.
report-time-not-before = ليس قبل
report-time-not-before-explain = وقت آخر نقطة تحقق من السجل كان الجهاز قد رآها عند التقاط الدليل، فلا يمكن أن يكون الالتقاط قبل ذلك. ويأتي هذا الوقت من نقطة التحقق الموقَّعة من خادم الترحيل.
report-time-relay = ليس بعد (سجل خادم الترحيل)
report-time-relay-explain = وقت نقطة التحقق من السجل التي تتضمن الدليل: كان الدليل موجودًا حينها. وهذا قول خادم الترحيل نفسه، موقَّعًا بمفتاح سجله.
report-time-tsa = ليس بعد (سلطة الختم الزمني { $authority })
report-time-tsa-explain = وقّعت سلطة ختم زمني مستقلة عن خادم الترحيل وعن المكتب (RFC 3161)، في هذا الوقت، نقطة تحقق من السجل تتضمن الدليل.
report-time-none = غير متوفر
report-datetime = { $day } { $month } { $year }، الساعة { $time } بالتوقيت العالمي (UTC)

report-month-1 = يناير
report-month-2 = فبراير
report-month-3 = مارس
report-month-4 = أبريل
report-month-5 = مايو
report-month-6 = يونيو
report-month-7 = يوليو
report-month-8 = أغسطس
report-month-9 = سبتمبر
report-month-10 = أكتوبر
report-month-11 = نوفمبر
report-month-12 = ديسمبر

report-item-heading = الدليل { $n }
report-verdict-ok = تم التحقق: نجحت كل عمليات التحقق أدناه.
report-verdict-fail = لم يتم التحقق: فشلت عملية تحقق واحدة على الأقل. لا تعتمد على هذا الدليل بحالته هذه.
report-facts-heading = بيانات الدليل
report-field-case = مرجع القضية
report-field-evidence-id = معرّف الدليل
report-field-kind = النوع
report-field-file-name = اسم الملف (كما على الجهاز الذي التقطه)
report-field-media-type = نوع الوسائط
report-field-size = الحجم
report-field-sha256 = بصمة SHA-256 للملف
report-field-device = التقطه
report-field-enrolment = التسجيل
report-field-log = سجل الشفافية
report-size-bytes =
    { PLURAL($n) ->
        [zero] { $n } بايت
        [one] بايت واحد
        [two] بايتان
        [few] { $n } بايتات
        [many] { $n } بايتًا
       *[other] { $n } بايت
    }
report-device = الجهاز «{ $label }» التابع لـ{ $organisation }
report-enrolled-yes = مسجَّل لدى المكتب
report-enrolled-no = غير مسجَّل لدى المكتب
report-log-entry = المدخل { $index } من السجل { $origin }

report-kind-photo = صورة فوتوغرافية
report-kind-video = تسجيل مرئي
report-kind-audio = تسجيل صوتي
report-kind-document = مستند
report-kind-testimony = شهادة مكتوبة
report-kind-other = ملف آخر

report-checks-heading = عمليات التحقق
report-col-check = التحقق
report-col-result = النتيجة
report-col-proves = ما يثبته
report-col-limits = ما لا يثبته
report-passed = ✓ نجح
report-failed = ✗ فشل
report-check-detail = السبب: { $detail }

report-check-manifest-signature = توقيع البيان
report-check-manifest-signature-proves = البيان (بصمة الملف وحجمه ونوعه ومرجع القضية وتفاصيل الالتقاط) موقَّع بمفتاح الأدلة الخاص بالجهاز الذي التقط الدليل، ولم يتغير منه بايت واحد منذ ذلك الحين.
report-check-manifest-signature-limits = لا يقول من كان يحمل الجهاز، ولا أن ما كتبه الجهاز (كساعته مثلًا) صحيح.
report-check-device-enrolment = تسجيل الجهاز
report-check-device-enrolment-proves = مفتاح التوقيع يعود إلى جهاز سجّله المكتب، بالاسم المستعار والمنظمة المبيَّنين؛ وسجل التسجيل موقَّع بمفتاح المكتب.
report-check-device-enrolment-limits = الاسم المستعار لا يسمّي أحدًا. وهو يبيّن ما سجّله المكتب عند التسجيل، لا من كان يحمل الجهاز وقت الالتقاط.
report-check-content-hash = سلامة الملف
report-check-content-hash-proves = للملف الموجود في الحزمة بالضبط بصمة SHA-256 والحجم المذكوران في البيان الموقَّع: إنه الملف الذي التُقط، بتًّا بتًّا.
report-check-content-hash-limits = لا يثبت أن ما يُظهره الملف صحيح أو غير مُدبَّر، ولا المكان الذي سُجِّل فيه.
report-check-log-commitment = الالتزام في السجل
report-check-log-commitment-proves = الالتزام المكتوب في السجل محسوب من هذا البيان ومن الملح الوارد في الحزمة.
report-check-log-commitment-limits = الالتزام وحده لا يكشف شيئًا عن الملف: فمن دون الملح لا يستطيع أحد أن يربط مدخل السجل بهذا الدليل.
report-check-log-inclusion = الإدراج في السجل
report-check-log-inclusion-proves = الالتزام مدخل في سجل الشفافية لخادم الترحيل تحت نقطة تحقق موقَّعة: كان البيان موجودًا عند توقيع نقطة التحقق تلك.
report-check-log-inclusion-limits = وقت نقطة التحقق هو قول خادم الترحيل نفسه؛ أمّا التحقق من الختم الزمني فيعطي وقتًا مستقلًا.
report-check-checkpoint-signature = توقيع نقاط التحقق
report-check-checkpoint-signature-proves = نقاط التحقق من السجل المستخدمة هنا موقَّعة بمفتاح سجل خادم الترحيل المذكور أدناه.
report-check-checkpoint-signature-limits = لا يبيّن أن ساعة خادم الترحيل كانت صحيحة.
report-check-log-consistency = اتساق السجل
report-check-log-consistency-proves = نقطة التحقق الواردة في الإيصال ونقطة تحقق لاحقة تنتميان إلى تاريخ واحد لا يُضاف إليه إلا في آخره: لم يُحذف أي مدخل ولم تُعَد كتابته بينهما.
report-check-log-consistency-limits = لا يبيّن أن كل المراقبين رأوا السجل نفسه؛ بل تبيّنه مقارنة نقاط التحقق مع مراقبين آخرين.
report-check-not-before = أبكر وقت للالتقاط
report-check-not-before-proves = يذكر البيان نقطة تحقق من السجل كان الجهاز قد رآها، فالالتقاط حدث بعد توقيع نقطة التحقق تلك.
report-check-not-before-limits = الجهاز الذي بقي طويلًا دون اتصال يذكر نقطة تحقق قديمة: فيكون الحد حينها واسعًا.
report-check-timestamp = ختم زمني مستقل
report-check-timestamp-proves = وقّعت سلطة ختم زمني مستقلة عن خادم الترحيل وعن المكتب، في الوقت المبيَّن، نقطة تحقق من السجل تتضمن الدليل.
report-check-timestamp-limits = يعتمد على شهادة السلطة المقدَّمة لأداة التحقق، وعلى ساعة السلطة.
report-check-device-chain = سلسلة الجهاز
report-check-device-chain-proves = يشير البيان إلى البيان السابق من الجهاز نفسه، فحذف دليل من هذا الجهاز أو تقديم تاريخه يقطع السلسلة.
report-check-device-chain-limits = لا يمكن تتبّع السلسلة إلا عبر أدلة ذلك الجهاز التي يحتفظ بها المكتب.
report-check-evidence-id-unique = معرّف فريد
report-check-evidence-id-unique-proves = لا يستخدم أي دليل آخر هذا المعرّف: الدليل ليس إعادة لدليل آخر.
report-check-evidence-id-unique-limits = لا يبيّن أن المشهد نفسه لم يُلتقط مرتين.
report-check-derivative-record = ربط النسخ المنقّحة
report-check-derivative-record-proves = كل نسخة منقّحة مذكورة أدناه مرتبطة ببصمة الأصل بسجل موقَّع.
report-check-derivative-record-limits = النسخة المنقّحة ملف آخر: ليست هي الدليل، وبصمتها تختلف عن بصمة الأصل.

report-case-fields-heading = حقول القضية (كما سُجِّلت عند الالتقاط)
report-col-field = الحقل
report-col-value = القيمة

report-derivatives-heading = النسخ المنقّحة
report-derivatives-explain = النسخة المنقّحة ملف آخر، أُعدّ للمشاركة دون بيانات وصفية تكشف الهوية (المكان، الجهاز، البرنامج). ليست هي الدليل: بصمتها تختلف عن بصمة الأصل، ويربطها بالأصل سجل موقَّع.
report-col-copy = النسخة
report-col-removed = ما أُزيل
report-col-link = الربط الموقَّع
report-link-verified = ✓ تم التحقق منه
report-link-unverified = ✗ لم يتم التحقق منه
report-removed-nothing = لا شيء (لم يكن في الأصل شيء من ذلك)
report-removed-unlisted = البيانات الوصفية الكاشفة للهوية (Exif وGPS وXMP ومعرّفات الجهاز)، كما يذكر السجل الموقَّع
report-removed-exif = بيانات Exif (الجهاز، الأرقام التسلسلية، إعدادات الالتقاط ووقته)
report-removed-location = الموقع الجغرافي (GPS)
report-removed-xmp = بيانات XMP (سجل التعديلات، البرنامج)
report-removed-iptc = بيانات IPTC (التعليقات، الأسماء، الأماكن)
report-removed-icc-profile = ملف تعريف الألوان (قد يكشف الشركة المصنِّعة للجهاز)
report-removed-comment = تعليق
report-removed-thumbnail = صورة مصغّرة مضمَّنة
report-removed-multi-picture = صور إضافية (خريطة العمق، معاينة)
report-removed-app-segment = مقطع تطبيق JPEG من نوع { $segment }
report-removed-text = مقاطع نصية
report-removed-time = وقت التعديل
report-removed-pixel-density = كثافة البكسلات
report-removed-chunk = المقطع «{ $name }»
report-removed-trailing-data = بيانات بعد نهاية الصورة

report-verify-heading = تحقّق بنفسك
report-verify-body = يستطيع أي شخص أن يعيد كل عمليات التحقق بأداة التحقق في سند، دون اتصال بالشبكة ودون أسرار ودون حساب. في المجلد الذي يحتوي الحزمة، نفّذ:
report-verify-exit = تعرض أداة التحقق حكمًا مع أسبابه، ولا تنتهي برمز الخروج 0 إلا إذا صحّ كل شيء.
report-verify-keys = قارن هذين المفتاحين بالمفتاحين اللذين تنشرهما المنظمة، بعد الحصول عليهما عبر قناة غير هذا التقرير:
report-key-log = المفتاح العام لسجل خادم الترحيل
report-key-desk = بصمة مفتاح المكتب
report-footer = تقرير أدلة سند، أُعدّ في { $date }.
