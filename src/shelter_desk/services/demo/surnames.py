"""Second names (family names, or the father's name where that is the custom) for the
demo data generator, in each population's own script with Latin spellings (data only)."""

from __future__ import annotations

from shelter_desk.services.demo.given_names import Name

_SUDANESE = (
    ("عبد الرحمن", ("Abdelrahman", "Abdulrahman")),
    ("إسحاق", ("Ishag", "Ishaq")),
    ("عيسى", ("Eisa", "Issa")),
    ("موسى", ("Musa", "Mousa")),
    ("آدم", ("Adam",)),
    ("الطيب", ("Eltayeb", "Al-Tayeb")),
    ("عبد الله", ("Abdalla", "Abdullah")),
    ("حامد", ("Hamid", "Hamed")),
    ("يعقوب", ("Yagoub", "Yacoub")),
    ("محمد", ("Mohammed", "Muhammad")),
)
_SYRIAN = (
    ("الحلبي", ("Al-Halabi", "Halabi")),
    ("الخطيب", ("Al-Khatib", "Khatib")),
    ("حمدان", ("Hamdan",)),
    ("العلي", ("Al-Ali",)),
    ("الحسن", ("Al-Hasan", "Al-Hassan")),
    ("درويش", ("Darwish", "Derwish")),
    ("النجار", ("Al-Najjar", "Najjar")),
)
_EGYPTIAN = (
    ("عبد العزيز", ("Abdelaziz", "Abdel Aziz")),
    ("السيد", ("El-Sayed", "Elsayed")),
    ("إبراهيم", ("Ibrahim",)),
    ("حسين", ("Hussein", "Hussain")),
    ("شحاتة", ("Shehata", "Shahata")),
    ("منصور", ("Mansour", "Mansur")),
    ("محمود", ("Mahmoud",)),
)
_MOROCCAN = (
    ("بنعلي", ("Benali", "Ben Ali")),
    ("العلوي", ("El Alaoui", "Alaoui")),
    ("الإدريسي", ("El Idrissi", "Idrissi")),
    ("بوزيد", ("Bouzid",)),
    ("أمزيان", ("Amezian", "Amziane")),
    ("الفاسي", ("El Fassi", "Fassi")),
)
_ERITREAN = (
    ("ተኽለ", ("Tekle", "Tecle")),
    ("ሃይለ", ("Haile",)),
    ("ኪዳነ", ("Kidane",)),
    ("ተወልደ", ("Tewelde", "Tewolde")),
    ("ብርሃነ", ("Berhane",)),
    ("ገብረመድህን", ("Gebremedhin", "Ghebremedhin")),
    ("ዘርኡ", ("Zerue",)),
    ("ተስፋማርያም", ("Tesfamariam",)),
    ("ሃብተ", ("Habte",)),
    ("ኣብራሃ", ("Abraha",)),
)
_ETHIOPIAN = (
    ("ከበደ", ("Kebede",)),
    ("በቀለ", ("Bekele",)),
    ("ታደሰ", ("Tadesse",)),
    ("ወልዴ", ("Wolde", "Welde")),
    ("አለሙ", ("Alemu",)),
    ("ገብሬ", ("Gebre",)),
    ("ሀይሉ", ("Hailu",)),
    ("ደምሴ", ("Demisse",)),
    ("አሕመድ", ("Ahmed",)),
    ("ጌታቸው", ("Getachew",)),
)
_FILIPINO = (
    ("Santos", ()),
    ("Reyes", ()),
    ("Cruz", ()),
    ("Bautista", ()),
    ("Dela Cruz", ("De la Cruz",)),
    ("Garcia", ()),
    ("Mendoza", ()),
    ("Villanueva", ()),
    ("Ramos", ()),
    ("Aquino", ()),
    ("Castillo", ()),
    ("Navarro", ()),
    ("Pascual", ()),
    ("Manalo", ()),
)
_NEPALI = (
    ("तामाङ", ("Tamang",)),
    ("गुरुङ", ("Gurung",)),
    ("राई", ("Rai",)),
    ("श्रेष्ठ", ("Shrestha",)),
    ("थापा", ("Thapa",)),
    ("मगर", ("Magar",)),
    ("यादव", ("Yadav",)),
    ("लामा", ("Lama",)),
    ("विश्वकर्मा", ("Bishwakarma", "Biswakarma")),
    ("चौधरी", ("Chaudhary", "Chaudhari")),
    ("तिवारी", ("Tiwari",)),
)
_SINHALA = (
    ("පෙරේරා", ("Perera",)),
    ("ප්‍රනාන්දු", ("Fernando",)),
    ("සිල්වා", ("Silva", "de Silva")),
    ("ජයසූරිය", ("Jayasuriya", "Jayasooriya")),
    ("බණ්ඩාර", ("Bandara",)),
    ("රත්නායක", ("Rathnayake", "Ratnayake")),
    ("හේරත්", ("Herath",)),
)
_THAI = (
    ("แสงทอง", ("Saengthong", "Sangthong")),
    ("ศรีสุข", ("Srisuk", "Sisuk")),
    ("บุญเรือง", ("Boonruang", "Bunrueang")),
    ("ทองดี", ("Thongdee", "Thongdi")),
    ("จันทร์แก้ว", ("Chankaew", "Chankaeo")),
    ("พรหมมา", ("Promma", "Phromma")),
    ("สุขเจริญ", ("Sukcharoen",)),
    ("แก้วมณี", ("Kaewmanee", "Kaeomani")),
)
_UKRAINIAN = (
    ("Шевченко", ("Shevchenko",)),
    ("Коваленко", ("Kovalenko",)),
    ("Бондаренко", ("Bondarenko",)),
    ("Ткаченко", ("Tkachenko",)),
    ("Мельник", ("Melnyk", "Melnik")),
    ("Кравченко", ("Kravchenko",)),
    ("Бойко", ("Boiko", "Boyko")),
    ("Олійник", ("Oliinyk", "Oleinik")),
    ("Лисенко", ("Lysenko",)),
)
_GEORGIAN = (
    ("ბერიძე", ("Beridze",)),
    ("კაპანაძე", ("Kapanadze",)),
    ("გელაშვილი", ("Gelashvili",)),
    ("მაისურაძე", ("Maisuradze",)),
    ("ლომიძე", ("Lomidze",)),
    ("ნოზაძე", ("Nozadze",)),
    ("წიკლაური", ("Tsiklauri",)),
    ("ხუციშვილი", ("Khutsishvili",)),
    ("გიორგაძე", ("Giorgadze",)),
    ("მამულაშვილი", ("Mamulashvili",)),
)
_MOLDOVAN = (
    ("Rusu", ()),
    ("Ceban", ("Cheban",)),
    ("Ciobanu", ()),
    ("Cebotari", ("Chebotari",)),
    ("Munteanu", ()),
    ("Lungu", ()),
    ("Țurcan", ("Turcan",)),
    ("Popa", ()),
    ("Botnaru", ()),
    ("Sîrbu", ("Sirbu",)),
    ("Guțu", ("Gutu",)),
)
_NIGERIAN = (
    ("Osagie", ()),
    ("Igbinedion", ()),
    ("Omoregie", ()),
    ("Okafor", ()),
    ("Eze", ()),
    ("Adeyemi", ()),
    ("Nwosu", ()),
    ("Edosomwan", ()),
    ("Ogbemudia", ()),
    ("Okonkwo", ()),
    ("Iyamu", ()),
)
_KENYAN = (
    ("Wanjiku", ()),
    ("Otieno", ()),
    ("Mwangi", ()),
    ("Kamau", ()),
    ("Achieng", ()),
    ("Njeri", ()),
    ("Kariuki", ()),
    ("Odhiambo", ()),
    ("Wekesa", ()),
    ("Chebet", ()),
)
_GUINEAN = (
    ("Diallo", ()),
    ("Bah", ()),
    ("Camara", ()),
    ("Sow", ()),
    ("Barry", ()),
    ("Condé", ("Conde",)),
    ("Soumah", ()),
    ("Keita", ("Keïta",)),
    ("Traoré", ("Traore",)),
)
_HEBREW = (
    ("כהן", ("Cohen", "Kohen")),
    ("לוי", ("Levi", "Levy")),
    ("מזרחי", ("Mizrahi", "Mizrachi")),
    ("פרץ", ("Peretz", "Perez")),
    ("ביטון", ("Biton",)),
    ("אברהם", ("Avraham", "Abraham")),
    ("דהן", ("Dahan",)),
    ("אזולאי", ("Azulay", "Azoulay")),
)
_BANGLADESHI_MALE = (
    ("হোসেন", ("Hossain", "Hussain", "Hosen")),
    ("ইসলাম", ("Islam",)),
    ("আহমেদ", ("Ahmed",)),
    ("মিয়া", ("Mia", "Miah")),
    ("উদ্দিন", ("Uddin",)),
)
_BANGLADESHI_FEMALE = (
    ("আক্তার", ("Akter", "Akhtar")),
    ("বেগম", ("Begum",)),
    ("খাতুন", ("Khatun",)),
    ("ইসলাম", ("Islam",)),
)


def _gendered(pairs: tuple[tuple[str, str, str, str], ...]) -> tuple[tuple[Name, ...], ...]:
    male = tuple((m, (m_latin,)) for m, m_latin, _f, _fl in pairs)
    female = tuple((f, (f_latin,)) for _m, _ml, f, f_latin in pairs)
    return male, female


_RUSSIAN_MALE, _RUSSIAN_FEMALE = _gendered(
    (
        ("Иванов", "Ivanov", "Иванова", "Ivanova"),
        ("Смирнов", "Smirnov", "Смирнова", "Smirnova"),
        ("Кузнецов", "Kuznetsov", "Кузнецова", "Kuznetsova"),
        ("Попов", "Popov", "Попова", "Popova"),
        ("Петров", "Petrov", "Петрова", "Petrova"),
        ("Соколов", "Sokolov", "Соколова", "Sokolova"),
        ("Морозов", "Morozov", "Морозова", "Morozova"),
        ("Волков", "Volkov", "Волкова", "Volkova"),
    )
)
_UZBEK_MALE, _UZBEK_FEMALE = _gendered(
    (
        ("Каримов", "Karimov", "Каримова", "Karimova"),
        ("Рахимов", "Rakhimov", "Рахимова", "Rakhimova"),
        ("Юсупов", "Yusupov", "Юсупова", "Yusupova"),
        ("Абдуллаев", "Abdullaev", "Абдуллаева", "Abdullaeva"),
        ("Турсунов", "Tursunov", "Турсунова", "Tursunova"),
        ("Мирзаев", "Mirzaev", "Мирзаева", "Mirzaeva"),
        ("Холматов", "Kholmatov", "Холматова", "Kholmatova"),
    )
)

# Second names (family names, or the father's name where that is the custom).
SURNAMES_MALE: dict[str, tuple[Name, ...]] = {
    "ER": _ERITREAN,
    "ET": _ETHIOPIAN,
    "SD": _SUDANESE,
    "SY": _SYRIAN,
    "EG": _EGYPTIAN,
    "MA": _MOROCCAN,
    "PH": _FILIPINO,
    "NP": _NEPALI,
    "BD": _BANGLADESHI_MALE,
    "LK": _SINHALA,
    "TH": _THAI,
    "UA": _UKRAINIAN,
    "RU": _RUSSIAN_MALE,
    "GE": _GEORGIAN,
    "UZ": _UZBEK_MALE,
    "MD": _MOLDOVAN,
    "NG": _NIGERIAN,
    "KE": _KENYAN,
    "GN": _GUINEAN,
    "IL": _HEBREW,
}
SURNAMES_FEMALE: dict[str, tuple[Name, ...]] = {
    **SURNAMES_MALE,
    "BD": _BANGLADESHI_FEMALE,
    "RU": _RUSSIAN_FEMALE,
    "UZ": _UZBEK_FEMALE,
}
