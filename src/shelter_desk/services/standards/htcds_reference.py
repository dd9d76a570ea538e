"""Facts from the standards the exports write: HTCDS 2.0's current fields, ISO code tables.

``CURRENT_FIELDS``: every field of HTCDS 2.0 whose status is current (DRAFT, not DEPRECATED
or N/A) with its English label, in the standard's order. Source: IOM's HTCDS 2.0 field table
("Field Standards 2.0", UNMigration/HTCDS, CC BY 4.0), as converted to
``standards/htcds/htcds-2.0-fields.tsv``.

``ISO_639_2``: ISO 639-1 two-letter language codes -> ISO 639-2/T three-letter codes (HTCDS
asks for ISO 639-2). ``ISO_3166_ALPHA3``: ISO 3166-1 alpha-2 -> alpha-3 country codes (the
CTDC synthetic dataset writes alpha-3). Both taken from the code mappings of Unicode CLDR.
"""

from __future__ import annotations

CURRENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("org_Name", "Organisation Name"),
    ("org_ShippingCity", "Shipping City"),
    ("org_ShippingCountry", "Shipping Country"),
    ("org_ShippingState", "Shipping State/Province"),
    ("org_ShippingStreet", "Shipping Street"),
    ("org_ShippingPostalCode", "Shipping Zip/Postal Code"),
    ("org_ShippingLongitude", "Longitude"),
    ("org_ShippingLatitude", "Latitude"),
    ("org_Phone", "Phone"),
    ("org_Type", "Type"),
    ("prs_Salutation", "Salutation"),
    ("prs_FirstName", "First Name"),
    ("prs_MiddleName", "Middle Name"),
    ("prs_SecondName", "Second Name"),
    ("prs_Birthdate", "Birthdate"),
    ("prs_Gender", "Gender"),
    ("prs_Deceased", "Deceased"),
    ("prs_MaritalStatus", "Marital Status"),
    ("prs_NumberOfChildren", "Number of Children"),
    ("prs_PrimaryLanguage", "Primary Language"),
    ("prs_SecondaryLanguage", "Secondary Language"),
    ("prs_HighestLevelOfEducation", "Highest Level of Education"),
    ("prs_Citizenship", "Citizenship"),
    ("prs_IdentityNumber", "Identity Number"),
    ("prs_Title", "Title"),
    ("prs_Email", "Email"),
    ("prs_HomePhone", "Home Phone"),
    ("prs_MobilePhone", "Mobile Phone"),
    ("prs_MailingCity", "Mailing City"),
    ("prs_MailingCountry", "Mailing Country"),
    ("prs_MailingState", "Mailing State/Province"),
    ("prs_MailingStreet", "Mailing Street"),
    ("prs_MailingPostalCode", "Mailing Zip/Postal Code"),
    ("prs_MailingLongitude", "Longitude"),
    ("prs_MailingLatitude", "Latitude"),
    ("vic_TraffickingStatus", "Trafficking Status"),
    ("vic_TraffickingStatusDecisionMakingOrg", "Trafficking Status Decision Making Organization"),
    ("vic_RelationshipToTrafficker", "Relationship to Trafficker"),
    ("vic_AgeWhenTrafficked", "Age when Trafficked"),
    ("vic_RecruitmentWebsitesAndApps", "Recruitment Websites and Apps"),
    ("vic_MethodOfRecruitment", "Method of Recruitment"),
    ("vic_LocationOfRecruitment", "Location of Recruitment"),
    ("vic_MethodsOfControl", "Methods of Control"),
    ("vic_TypeOfExploitation", "Type of Exploitation"),
    ("vic_ForcedLabourIndustry", "Forced Labour Industry"),
    ("vic_TypeOfSexExploitation", "Type of Sex Exploitation"),
    ("vic_LocationOfExploitation", "Location of Exploitation"),
    ("vic_ExploitationWebsitesAndApps", "Exploitation Websites and Apps"),
    ("per_RoleInProcess", "Role in Process"),
    ("per_RoleDetails", "Role Details"),
    ("cas_Status", "Status"),
    ("cas_ReasonForCaseClosure", "Reason for Case Closure"),
    ("cas_CaseOwner", "Case Owner"),
    ("cas_ReferringOrganisation", "Referring Organisation"),
    ("cas_IncomingReferralDate", "Incoming Referral Date"),
    ("cas_ReferringPrimaryCaseWorker", "Referring Primary Case Worker"),
    ("cas_ReasonForIncomingReferral", "Reason for Incoming Referral"),
    ("cas_IncomingReferralDetails", "Incoming Referral Details"),
    ("cas_ReferredOrganisation", "Referred Organisation"),
    ("cas_ReferredPrimaryCaseWorker", "Referred Primary Case Worker"),
    ("cas_ReasonForOutgoingReferral", "Reason for Outgoing Referral"),
    ("cas_OutgoingReferralDate", "Outgoing Referral Date"),
    ("cas_OutgoingReferralDetails", "Outgoing Referral Details"),
    ("cco_CaseComment", "Case Comment"),
    ("hte_Longitude", "Longitude"),
    ("hte_Latitude", "Latitude"),
    ("hte_City", "City"),
    ("hte_Country", "Country"),
    ("hte_State", "State"),
    ("hte_Street", "Street"),
    ("hte_PostalCode", "PostalCode"),
    ("hte_Date", "Date"),
    ("hte_Type", "Type"),
    ("hte_Description", "Description"),
    ("spl_Objectives", "Objectives"),
    ("spl_ActionPlan", "Action Plan"),
    ("spl_PlannedEndDate", "Planned End Date"),
    ("spl_ActualEndDate", "Actual End Date"),
    ("spl_Type", "Type"),
    ("con_Consent", "Consent"),
)
CURRENT_FIELD_NAMES: tuple[str, ...] = tuple(name for name, _label in CURRENT_FIELDS)
FIELD_LABELS: dict[str, str] = dict(CURRENT_FIELDS)


# The picklist value names of every current HTCDS picklist field (same source).
PICKLISTS: dict[str, frozenset[str]] = {
    name: frozenset(values.split())
    for name, values in {
        "org_Type": (
            "NGO LawEnforcement HealthServiceOrganisation CentralGovernmentOrganisation "
            "LocalGovernmentOrganisation ImmigrationService LegalService CorporateBusiness "
            "SchoolOrCollege"
        ),
        "prs_Gender": (
            "Feminine Masculine TransgenderFeminine TransgenderMasculine NonConforming "
            "NonSpecifiedUnknown"
        ),
        "prs_MaritalStatus": ("Single Married Widowed Divorced Separated RegisteredPartnership"),
        "prs_HighestLevelOfEducation": (
            "EarlyChildhoodEducation PrimaryEducation LowerSecondaryEducation "
            "UpperSecondaryEducation PostSecondaryNonTertiaryEducation "
            "ShortCycleTertiaryEducation BachelorsOrEquivalentLevel MastersOrEquivalentLevel "
            "DoctoralOrEquivalentLevel"
        ),
        "vic_TraffickingStatus": (
            "PossibleVictimOfTrafficking ActualVictimOfTrafficking NotAVictimOfTrafficking"
        ),
        "vic_TraffickingStatusDecisionMakingOrg": (
            "Police NGO CourtOrProsecution NonPoliceGovernmentalOrganization Other"
        ),
        "vic_RelationshipToTrafficker": ("Familial Acquainted Unaquainted"),
        "vic_RecruitmentWebsitesAndApps": (
            "Facebook Instagram WhatsApp Telegram FacebookMessenger Viber SnapChat Line 4Sale "
            "WeChat QQ QZone TikTok Twitter Other"
        ),
        "vic_MethodOfRecruitment": (
            "AtAPlaceOfBusiness AtAnEducationalInstitution AtWork ThroughOnlineSocialNetworks "
            "ThroughAnOnlineAdvertisement ThroughATelevisionAdvert ThroughANewspaperAdvert "
            "ThroughFamilyOrFamilyEvents ThroughFriendsOrSocialEvents Other"
        ),
        "vic_MethodsOfControl": (
            "PhysicalThreats ThreatsLawEnforcement ThreatensChildrenFamily DebtBondage "
            "FalsePromises PhysicalAbuse SexualAbuse TakesEarnings RestrictsFinancialAccess "
            "RestrictsMedicalCare WithholdsNecessities PsychologicalAbuse "
            "PsychoactiveSubstance ExcessiveWorkingHours WithholdsDocuments Other"
        ),
        "vic_TypeOfExploitation": (
            "ForcedLabour SexualExploitation ChildLabour ForcedMarriage Servitude "
            "ForcedMilitaryByNonStateActors OrganRemoval ForcedBegging ForcedAdoption "
            "Surrogacy Other"
        ),
        "vic_ForcedLabourIndustry": (
            "A_AgricultureForestryAndFishing B_MiningAndQuarrying C_Manufacturing "
            "D_ElectricityGasSteamAndAirConditioningSupply "
            "E_WaterSupplySewerageWasteManagement F_Construction "
            "G_WholesaleAndRetailTradeRepairOfMotorVehicles H_TransportationAndStorage "
            "I_AccommodationAndFoodServiceActivities J_InformationAndCommunication "
            "K_FinancialAndInsuranceActivities L_RealEstateActivities "
            "M_ProfessionalScientificAndTechnicalActivities "
            "N_AdministrativeAndSupportServiceActivities O_PublicAdministrationAndDefence "
            "P_Education Q_HumanHealthAndSocialWorkActivities "
            "R_ArtsEntertainmentAndRecreation S_OtherServiceActivities "
            "T_ActivitiesOfHouseholdsAsEmployers U_ActivitiesOfExtraterritorialOrganizations"
        ),
        "vic_TypeOfSexExploitation": (
            "Prostitution Pornography RemoteInteractiveServices PrivateSexualServices"
        ),
        "vic_ExploitationWebsitesAndApps": (
            "Facebook Instagram WhatsApp Telegram FacebookMessenger Viber SnapChat Line 4Sale "
            "WeChat QQ QZone TikTok Twitter Other"
        ),
        "per_RoleInProcess": (
            "TravellingPartner Transporter RecruiterOrIntermediary BrokerTravelAgent "
            "TransferredIndividual HarbouredIndividual SoldIndividual BoughtIndividual "
            "ReceivedIndividual ControlledIndividual Smuggler Abuser Kidnapper Exploiter "
            "Other"
        ),
        "cas_Status": ("Active FollowUp Closed ClosedReferred"),
        "cas_ReasonForIncomingReferral": (
            "AdditionalServicesRequired MigrationOrChangeOfLocation Other"
        ),
        "cas_ReasonForOutgoingReferral": (
            "AdditionalServicesRequired MigrationOrChangeOfLocation Other"
        ),
        "hte_Type": ("Recruitment Transit Exploitation"),
        "spl_Type": (
            "Education Financial Health LabourExploitationRehabilitation Legal Livelihood "
            "RightsBasedTraining SexualExploitationRehabilitation SocialCare"
        ),
    }.items()
}


def _pairs(text: str) -> dict[str, str]:
    return dict(pair.split(":") for pair in text.split())


ISO_639_2: dict[str, str] = _pairs(
    """
aa:aar ab:abk ae:ave af:afr ak:aka am:amh an:arg ar:ara as:asm av:ava ay:aym az:aze ba:bak
be:bel bg:bul bi:bis bm:bam bn:ben bo:bod br:bre bs:bos ca:cat ce:che ch:cha co:cos cr:cre
cs:ces cu:chu cv:chv cy:cym da:dan de:deu dv:div dz:dzo ee:ewe el:ell en:eng eo:epo es:spa
et:est eu:eus fa:fas ff:ful fi:fin fj:fij fo:fao fr:fra fy:fry ga:gle gd:gla gl:glg gn:grn
gu:guj gv:glv ha:hau he:heb hi:hin ho:hmo hr:hrv ht:hat hu:hun hy:hye hz:her ia:ina id:ind
ie:ile ig:ibo ii:iii ik:ipk io:ido is:isl it:ita iu:iku ja:jpn jv:jav ka:kat kg:kon ki:kik
kj:kua kk:kaz kl:kal km:khm kn:kan ko:kor kr:kau ks:kas ku:kur kv:kom kw:cor ky:kir la:lat
lb:ltz lg:lug li:lim ln:lin lo:lao lt:lit lu:lub lv:lav mg:mlg mh:mah mi:mri mk:mkd ml:mal
mn:mon mr:mar ms:msa mt:mlt my:mya na:nau nb:nob nd:nde ne:nep ng:ndo nl:nld nn:nno no:nor
nr:nbl nv:nav ny:nya oc:oci oj:oji om:orm or:ori os:oss pa:pan pi:pli pl:pol ps:pus pt:por
qu:que rm:roh rn:run ro:ron ru:rus rw:kin sa:san sc:srd sd:snd se:sme sg:sag si:sin sk:slk
sl:slv sm:smo sn:sna so:som sq:sqi sr:srp ss:ssw st:sot su:sun sv:swe sw:swa ta:tam te:tel
tg:tgk th:tha ti:tir tk:tuk tn:tsn to:ton tr:tur ts:tso tt:tat ty:tah ug:uig uk:ukr ur:urd
uz:uzb ve:ven vi:vie vo:vol wa:wln wo:wol xh:xho yi:yid yo:yor za:zha zh:zho zu:zul
"""
)

ISO_3166_ALPHA3: dict[str, str] = _pairs(
    """
AA:AAA AC:ASC AD:AND AE:ARE AF:AFG AG:ATG AI:AIA AL:ALB AM:ARM AO:AGO AQ:ATA AR:ARG AS:ASM
AT:AUT AU:AUS AW:ABW AX:ALA AZ:AZE BA:BIH BB:BRB BD:BGD BE:BEL BF:BFA BG:BGR BH:BHR BI:BDI
BJ:BEN BL:BLM BM:BMU BN:BRN BO:BOL BQ:BES BR:BRA BS:BHS BT:BTN BV:BVT BW:BWA BY:BLR BZ:BLZ
CA:CAN CC:CCK CD:COD CF:CAF CG:COG CH:CHE CI:CIV CK:COK CL:CHL CM:CMR CN:CHN CO:COL CP:CPT
CR:CRI CU:CUB CV:CPV CW:CUW CX:CXR CY:CYP CZ:CZE DE:DEU DG:DGA DJ:DJI DK:DNK DM:DMA DO:DOM
DZ:DZA EC:ECU EE:EST EG:EGY EH:ESH ER:ERI ES:ESP ET:ETH EU:QUU FI:FIN FJ:FJI FK:FLK FM:FSM
FO:FRO FR:FRA GA:GAB GB:GBR GD:GRD GE:GEO GF:GUF GG:GGY GH:GHA GI:GIB GL:GRL GM:GMB GN:GIN
GP:GLP GQ:GNQ GR:GRC GS:SGS GT:GTM GU:GUM GW:GNB GY:GUY HK:HKG HM:HMD HN:HND HR:HRV HT:HTI
HU:HUN ID:IDN IE:IRL IL:ISR IM:IMN IN:IND IO:IOT IQ:IRQ IR:IRN IS:ISL IT:ITA JE:JEY JM:JAM
JO:JOR JP:JPN KE:KEN KG:KGZ KH:KHM KI:KIR KM:COM KN:KNA KP:PRK KR:KOR KW:KWT KY:CYM KZ:KAZ
LA:LAO LB:LBN LC:LCA LI:LIE LK:LKA LR:LBR LS:LSO LT:LTU LU:LUX LV:LVA LY:LBY MA:MAR MC:MCO
MD:MDA ME:MNE MF:MAF MG:MDG MH:MHL MK:MKD ML:MLI MM:MMR MN:MNG MO:MAC MP:MNP MQ:MTQ MR:MRT
MS:MSR MT:MLT MU:MUS MV:MDV MW:MWI MX:MEX MY:MYS MZ:MOZ NA:NAM NC:NCL NE:NER NF:NFK NG:NGA
NI:NIC NL:NLD NO:NOR NP:NPL NR:NRU NU:NIU NZ:NZL OM:OMN PA:PAN PE:PER PF:PYF PG:PNG PH:PHL
PK:PAK PL:POL PM:SPM PN:PCN PR:PRI PS:PSE PT:PRT PW:PLW PY:PRY QA:QAT QM:QMM QN:QNN QP:QPP
QQ:QQQ QR:QRR QS:QSS QT:QTT QV:QVV QW:QWW QX:QXX QY:QYY QZ:QZZ RE:REU RO:ROU RS:SRB RU:RUS
RW:RWA SA:SAU SB:SLB SC:SYC SD:SDN SE:SWE SG:SGP SH:SHN SI:SVN SJ:SJM SK:SVK SL:SLE SM:SMR
SN:SEN SO:SOM SR:SUR SS:SSD ST:STP SV:SLV SX:SXM SY:SYR SZ:SWZ TA:TAA TC:TCA TD:TCD TF:ATF
TG:TGO TH:THA TJ:TJK TK:TKL TL:TLS TM:TKM TN:TUN TO:TON TR:TUR TT:TTO TV:TUV TW:TWN TZ:TZA
UA:UKR UG:UGA UM:UMI US:USA UY:URY UZ:UZB VA:VAT VC:VCT VE:VEN VG:VGB VI:VIR VN:VNM VU:VUT
WF:WLF WS:WSM XA:XAA XB:XBB XC:XCC XD:XDD XE:XEE XF:XFF XG:XGG XH:XHH XI:XII XJ:XJJ XK:XKK
XL:XLL XM:XMM XN:XNN XO:XOO XP:XPP XQ:XQQ XR:XRR XS:XSS XT:XTT XU:XUU XV:XVV XW:XWW XX:XXX
XY:XYY XZ:XZZ YE:YEM YT:MYT ZA:ZAF ZM:ZMB ZW:ZWE ZZ:ZZZ
"""
)


# Stored codes that are not HTCDS values, and the HTCDS value nearest to each (the export
# writes these).
# ISCED's attainment level 0 ("less than primary") includes people who never went to school.
NEAREST: dict[str, dict[str, str]] = {
    "prs_HighestLevelOfEducation": {"NoFormalEducation": "EarlyChildhoodEducation"},
    "vic_RecruitmentWebsitesAndApps": {"FourSale": "4Sale"},
    "vic_ExploitationWebsitesAndApps": {"FourSale": "4Sale"},
}

# HTCDS writes these as ISO 639-2; Shelter Desk stores ISO 639-1 where there is one.
LANGUAGE_FIELDS = frozenset({"prs_PrimaryLanguage", "prs_SecondaryLanguage"})


def language_639_2(code: str) -> str:
    """A stored language code (ISO 639-1, or already three letters) as ISO 639-2."""
    base = code.split("-")[0].split("_")[0].lower()
    return ISO_639_2.get(base, base)


# ISO 639-2's bibliographic codes, where they differ from the terminology ones.
_BIBLIOGRAPHIC = _pairs(
    """
sq:alb hy:arm eu:baq my:bur zh:chi cs:cze nl:dut fr:fre ka:geo de:ger el:gre is:ice mk:mac
mi:mao ms:may fa:per ro:rum sk:slo bo:tib cy:wel
"""
)
_ISO_639_1 = {three: two for two, three in (*ISO_639_2.items(), *_BIBLIOGRAPHIC.items())}


def language_639_1(code: str) -> str:
    """An ISO 639-2 code (as HTCDS files write languages) as the ISO 639-1 code Shelter
    Desk stores, where there is one; any other code unchanged."""
    return _ISO_639_1.get(code.lower(), code)


def country_alpha3(code: str) -> str:
    """An ISO 3166-1 alpha-2 country code as alpha-3 ("" stays "")."""
    return ISO_3166_ALPHA3.get(code.upper(), code) if code else ""
