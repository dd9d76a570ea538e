"""Small catalogues of real translations for the form tests.

The bundled catalogues are filled by translators later; until then every label of a form
would print in English. These hand-written translations (titles, headings, labels, whole
consent paragraphs) make the tests print Arabic, Hebrew, Georgian and Cyrillic text in the
forms, through ``render_form(catalogues=...)``, compiled in memory like a translator's
draft catalogue.
"""

from __future__ import annotations

import functools
import gettext
import io

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from shelter_desk.domain import codes
from shelter_desk.reports import forms_consent, forms_follow_up, forms_intake, forms_summary

TRANSLATIONS: dict[str, dict[str, str]] = {
    "ar": {
        forms_intake.TITLE: "استمارة الاستقبال",
        forms_consent.TITLE: "استمارة الموافقة",
        forms_summary.TITLE: "ملخص الحالة",
        forms_follow_up.TITLE: "زيارة المتابعة",
        forms_intake.THE_PERSON: "الشخص",
        forms_intake.INTERVIEW: "المقابلة",
        forms_intake.GENDER: "الجنس",
        "Feminine": "أنثى",
        "Masculine": "ذكر",
        "Yes": "نعم",
        "No": "لا",
        forms_intake.EXPLOITATION_TYPE: "نوع الاستغلال",
        "Forced labour": "العمل القسري",
        forms_intake.EVENTS: "أحداث الاتجار",
        forms_consent.PERSON_NAME: "اسم الشخص",
        forms_summary.INTRO: "ملخص الحالة رقم {number} كما هو مسجل في {date}.",
        forms_summary.CASE_NUMBER: "رقم الحالة",
        forms_summary.STATUS: "الوضع",
        codes.CASE_STATUS.label("Active"): "نشطة",
        forms_consent.ABOUT_US: "من نحن",
        forms_consent.ABOUT_US_TEXT: (
            "نحن {organisation}. نساعد الأشخاص الذين تعرضوا للاستغلال أو الاتجار. مساعدتنا "
            "مجانية. لا يلزمك أن توافق على أي شيء في هذه الاستمارة لتحصل على مساعدتنا."
        ),
        forms_consent.RECORDS: "ما نكتبه ولماذا",
        forms_consent.RECORDS_TEXT: (
            "نكتب اسمك وقصتك والمساعدة التي تحتاجها. نفعل ذلك لنساعدك ونخطط لدعمك. نحفظ هذه "
            "الملاحظات مقفلة ومحمية بكلمة سر."
        ),
        forms_consent.RECORDS_QUESTION: "هل توافق على أن نكتب معلوماتك؟",
        forms_consent.RIGHTS: "حقوقك",
        forms_consent.RIGHTS_TEXT: (
            "يمكنك أن تغيّر رأيك في أي وقت. يمكنك أن ترفض الآن أو لاحقاً، وسنستمر في مساعدتك. "
            "يمكنك أن تطلب رؤية ما كتبناه عنك. يمكنك أن تطلب منا تصحيحه."
        ),
        forms_consent.READ_ALOUD: (
            "اقرأ هذه الاستمارة بصوت عالٍ مع الشخص، بلغة يفهمها. توقف بعد كل جزء واسأله إن "
            "كانت لديه أسئلة. يمكنه أن يوافق على بعض الأجزاء ويرفض غيرها."
        ),
        forms_consent.COORDINATOR: "المنسق الوطني",
        forms_consent.PERSON_SIGNATURE: "توقيع الشخص أو بصمته",
        "Economic": "اقتصادي",
        "How satisfied are you with your economic situation now?": (
            "ما مدى رضاك عن وضعك الاقتصادي الآن؟"
        ),
        "Very satisfied": "راضٍ جداً",
        "Don't know": "لا أعرف",
    },
    "he": {
        forms_intake.TITLE: "טופס קליטה",
        forms_consent.TITLE: "טופס הסכמה",
        forms_summary.TITLE: "סיכום תיק",
        forms_follow_up.TITLE: "ביקור מעקב",
        forms_intake.THE_PERSON: "האדם",
        forms_intake.GENDER: "מגדר",
        "Feminine": "נקבה",
        "Masculine": "זכר",
        "Yes": "כן",
        "No": "לא",
        forms_intake.EXPLOITATION_TYPE: "סוג הניצול",
        "Forced labour": "עבודת כפייה",
        forms_consent.PERSON_NAME: "שם האדם",
        forms_summary.INTRO: "סיכום תיק {number} כפי שנרשם בתאריך {date}.",
        forms_summary.CASE_NUMBER: "מספר תיק",
        forms_consent.RECORDS: "מה אנחנו רושמים ולמה",
        forms_consent.RIGHTS: "הזכויות שלך",
        "Economic": "כלכלי",
    },
    "ka": {
        forms_intake.TITLE: "მიღების ფორმა",
        forms_consent.TITLE: "თანხმობის ფორმა",
        forms_summary.TITLE: "საქმის შეჯამება",
        forms_follow_up.TITLE: "შემდგომი ვიზიტი",
        forms_intake.THE_PERSON: "პირი",
        forms_intake.GENDER: "სქესი",
        "Feminine": "ქალი",
        "Masculine": "კაცი",
        "Yes": "დიახ",
        "No": "არა",
        forms_intake.EXPLOITATION_TYPE: "ექსპლუატაციის სახე",
        "Forced labour": "იძულებითი შრომა",
        forms_consent.PERSON_NAME: "პირის სახელი",
        forms_summary.INTRO: "საქმის {number} შეჯამება, {date}-ის მდგომარეობით.",
        forms_summary.CASE_NUMBER: "საქმის ნომერი",
        forms_consent.RECORDS: "რას ვიწერთ და რატომ",
        forms_consent.RIGHTS: "თქვენი უფლებები",
        "Economic": "ეკონომიკური",
    },
    "ru": {
        forms_intake.TITLE: "Анкета первичного приёма",
        forms_consent.TITLE: "Форма согласия",
        forms_summary.TITLE: "Сводка по делу",
        forms_follow_up.TITLE: "Контрольный визит",
        forms_intake.THE_PERSON: "Данные о человеке",
        forms_intake.GENDER: "Пол",
        "Feminine": "Женский",
        "Masculine": "Мужской",
        "Yes": "Да",
        "No": "Нет",
        forms_intake.EXPLOITATION_TYPE: "Вид эксплуатации",
        "Forced labour": "Принудительный труд",
        forms_consent.PERSON_NAME: "Имя человека",
        forms_summary.INTRO: "Сводка по делу {number} по данным на {date}.",
        forms_summary.CASE_NUMBER: "Номер дела",
        forms_consent.RECORDS: "Что мы записываем и зачем",
        forms_consent.RIGHTS: "Ваши права",
        "Economic": "Экономическое",
    },
}


@functools.cache
def catalogue(lang: str) -> gettext.NullTranslations:
    """The test catalogue of ``lang`` compiled to a .mo in memory."""
    if lang not in TRANSLATIONS:
        return gettext.NullTranslations()
    source = Catalog(locale=lang, domain="shelter_desk")
    for message, translation in TRANSLATIONS[lang].items():
        source.add(message, translation, context=getattr(message, "context", None))
    buffer = io.BytesIO()
    write_mo(buffer, source)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def catalogues() -> dict[str, gettext.NullTranslations]:
    return {lang: catalogue(lang) for lang in TRANSLATIONS}
