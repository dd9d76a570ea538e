"""Code lists: the stable stored codes and their English labels.

A stored code never changes once released; the label is English source text marked with
``N_`` and translated at display time (``_(CASE_STATUS.label(code))``). Where HTCDS 2.0 has
the field, the codes are its picklist value names exactly (even ``Unaquainted``, which HTCDS
spells that way) so the HTCDS export writes them unchanged; ``htcds_field`` names that
column. Lists HTCDS does not have use codes of the same CamelCase shape.

Countries (ISO 3166-1 alpha-2) and languages (ISO 639) are not code lists here: their names
come from CLDR through ``shelter_desk.i18n``; the domain checks only their shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from shelter_desk.i18n import N_, NP_


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    label: str


class CodeList:
    """An ordered, named list of codes (display order is the order given)."""

    __slots__ = ("_by_code", "htcds_field", "items", "name")

    def __init__(self, name: str, items: tuple[Code, ...], htcds_field: str | None = None):
        codes = [item.code for item in items]
        if len(set(codes)) != len(codes):
            raise ValueError(f"duplicate code in {name}")
        self.name = name
        self.items = items
        self.htcds_field = htcds_field
        self._by_code = {item.code: item for item in items}

    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def label(self, code: str) -> str:
        """The English source label of ``code`` (translate it with ``_``). A code this
        version does not know (a record from a newer version) is shown as itself."""
        item = self._by_code.get(code)
        return item.label if item is not None else code

    def get(self, code: str) -> Code | None:
        return self._by_code.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Code]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"CodeList({self.name!r}, {len(self.items)} codes)"


def _list(name: str, *pairs: tuple[str, str], htcds: str | None = None) -> CodeList:
    return CodeList(name, tuple(Code(code, label) for code, label in pairs), htcds)


# --- Person ---------------------------------------------------------------------------

GENDER = _list(
    "GENDER",
    ("Feminine", N_("Feminine")),
    ("Masculine", N_("Masculine")),
    ("TransgenderFeminine", N_("Transgender feminine")),
    ("TransgenderMasculine", N_("Transgender masculine")),
    ("NonConforming", N_("Non-conforming")),
    ("NonSpecifiedUnknown", N_("Not specified / unknown")),
    htcds="prs_Gender",
)

MARITAL_STATUS = _list(
    "MARITAL_STATUS",
    ("Single", N_("Single")),
    ("Married", N_("Married")),
    ("Widowed", N_("Widowed")),
    ("Divorced", N_("Divorced")),
    ("Separated", N_("Separated")),
    ("RegisteredPartnership", N_("Registered partnership")),
    htcds="prs_MaritalStatus",
)

# ISCED 2011 levels 0-8 with the HTCDS value names. ``NoFormalEducation`` is a Shelter Desk
# addition (HTCDS has no value for a person who never attended school).
EDUCATION_LEVEL = _list(
    "EDUCATION_LEVEL",
    ("NoFormalEducation", N_("No formal education")),
    ("EarlyChildhoodEducation", N_("Early childhood education (ISCED 0)")),
    ("PrimaryEducation", N_("Primary education (ISCED 1)")),
    ("LowerSecondaryEducation", N_("Lower secondary education (ISCED 2)")),
    ("UpperSecondaryEducation", N_("Upper secondary education (ISCED 3)")),
    ("PostSecondaryNonTertiaryEducation", N_("Post-secondary non-tertiary education (ISCED 4)")),
    ("ShortCycleTertiaryEducation", N_("Short-cycle tertiary education (ISCED 5)")),
    ("BachelorsOrEquivalentLevel", N_("Bachelor's or equivalent (ISCED 6)")),
    ("MastersOrEquivalentLevel", N_("Master's or equivalent (ISCED 7)")),
    ("DoctoralOrEquivalentLevel", N_("Doctoral or equivalent (ISCED 8)")),
    htcds="prs_HighestLevelOfEducation",
)

DOCUMENT_TYPE = _list(
    "DOCUMENT_TYPE",
    ("Passport", N_("Passport")),
    ("NationalIdCard", N_("National identity card")),
    ("BirthCertificate", N_("Birth certificate")),
    ("ResidencePermit", N_("Residence permit")),
    ("WorkPermit", N_("Work permit")),
    ("Visa", N_("Visa")),
    ("EmergencyTravelDocument", N_("Emergency travel document / laissez-passer")),
    ("RefugeeOrAsylumDocument", N_("Refugee or asylum-seeker document")),
    ("DrivingLicence", N_("Driving licence")),
    ("Other", N_("Other")),
)

CONTACT_TYPE = _list(
    "CONTACT_TYPE",
    ("MobilePhone", N_("Mobile phone")),
    ("HomePhone", N_("Home phone")),
    ("Email", N_("Email")),
    ("MessagingApp", N_("Messaging app")),
    ("Address", N_("Address")),
    ("Other", N_("Other")),
)

# --- Case -----------------------------------------------------------------------------

CASE_STATUS = _list(
    "CASE_STATUS",
    # TRANSLATORS: case status; it agrees with "case" (feminine in Arabic and Hebrew).
    ("Active", NP_("case status", "Active")),
    # TRANSLATORS: case status: the person has left the shelter and is being followed up.
    ("FollowUp", NP_("case status", "Follow-up")),
    # TRANSLATORS: case status.
    ("Closed", NP_("case status", "Closed")),
    # TRANSLATORS: case status: closed because the case was referred to another organisation.
    ("ClosedReferred", NP_("case status", "Closed (referred)")),
    htcds="cas_Status",
)

CLOSED_CASE_STATUSES = frozenset({"Closed", "ClosedReferred"})

TRAFFICKING_STATUS = _list(
    "TRAFFICKING_STATUS",
    ("PossibleVictimOfTrafficking", N_("Possible victim of trafficking")),
    ("ActualVictimOfTrafficking", N_("Actual victim of trafficking")),
    ("NotAVictimOfTrafficking", N_("Not a victim of trafficking")),
    htcds="vic_TraffickingStatus",
)

TRAFFICKING_STATUS_DECISION_ORG = _list(
    "TRAFFICKING_STATUS_DECISION_ORG",
    ("Police", N_("Police")),
    ("NGO", N_("NGO")),
    ("CourtOrProsecution", N_("Court or prosecution")),
    ("NonPoliceGovernmentalOrganization", N_("Non-police governmental organisation")),
    ("Other", N_("Other")),
    htcds="vic_TraffickingStatusDecisionMakingOrg",
)

# IOM Reintegration Handbook §2.7 (case closure): support period ended, no longer meets
# the criteria, chooses to stop, leaves the area, dies; early exits by re-migration or
# because of conduct towards staff; involuntary ends for lack of funding or security.
# ``ReferredToOtherOrganisation`` is a Shelter Desk addition for ClosedReferred cases.
CLOSURE_REASON = _list(
    "CLOSURE_REASON",
    ("SupportCompleted", N_("Support period completed")),
    ("NoLongerEligible", N_("No longer meets the criteria for support")),
    ("ChoseToStopSupport", N_("Person chose to stop receiving support")),
    ("LeftTheArea", N_("Person left the area")),
    ("ReMigrated", N_("Person migrated again")),
    ("Deceased", N_("Person died")),
    ("AggressionTowardsStaff", N_("Aggressive or threatening towards staff")),
    ("FundingEnded", N_("Services ended for lack of funding")),
    ("SecurityConstraints", N_("Services ended for security or contextual reasons")),
    ("ReferredToOtherOrganisation", N_("Referred to another organisation")),
    ("Other", N_("Other")),
)

RISK_LEVEL = _list(
    "RISK_LEVEL",
    ("Low", N_("Low")),
    ("Medium", N_("Medium")),
    ("High", N_("High")),
)

# Sharing with the national coordinator, set from consent. ``NotShared`` (nothing leaves
# the organisation) is a Shelter Desk addition and the default until consent is recorded.
SHARING_LEVEL = _list(
    "SHARING_LEVEL",
    ("Identified", N_("Identified")),
    ("Pseudonymised", N_("Pseudonymised")),
    ("StatisticsOnly", N_("Statistics only")),
    ("NotShared", N_("Not shared")),
)

# --- Intake ---------------------------------------------------------------------------

IDENTIFICATION_SOURCE = _list(
    "IDENTIFICATION_SOURCE",
    ("SelfReferral", N_("Self-referral")),
    ("FamilyOrFriends", N_("Family or friends")),
    ("NGO", N_("NGO")),
    ("Police", N_("Police")),
    ("LabourInspection", N_("Labour inspection")),
    ("ImmigrationService", N_("Immigration service")),
    ("HealthService", N_("Health service")),
    ("Hotline", N_("Hotline")),
    ("EmbassyOrConsulate", N_("Embassy or consulate")),
    ("InternationalOrganisation", N_("International organisation")),
    ("Other", N_("Other")),
)

# CTDC ``Datasource`` values.
DATA_SOURCE = _list(
    "DATA_SOURCE",
    ("CaseManagement", N_("Case management")),
    ("Hotline", N_("Hotline")),
)

EXPLOITATION_TYPE = _list(
    "EXPLOITATION_TYPE",
    ("ForcedLabour", N_("Forced labour")),
    ("SexualExploitation", N_("Sexual exploitation")),
    ("ChildLabour", N_("Child labour")),
    ("ForcedMarriage", N_("Forced marriage")),
    ("Servitude", N_("Servitude")),
    ("ForcedMilitaryByNonStateActors", N_("Forced military service (by non-state actors)")),
    ("OrganRemoval", N_("Organ removal")),
    ("ForcedBegging", N_("Forced begging")),
    ("ForcedAdoption", N_("Forced adoption")),
    ("Surrogacy", N_("Surrogacy")),
    ("Other", N_("Other")),
    htcds="vic_TypeOfExploitation",
)

# ISIC rev. 4 sections.
FORCED_LABOUR_INDUSTRY = _list(
    "FORCED_LABOUR_INDUSTRY",
    ("A_AgricultureForestryAndFishing", N_("Agriculture, forestry and fishing")),
    ("B_MiningAndQuarrying", N_("Mining and quarrying")),
    ("C_Manufacturing", N_("Manufacturing")),
    (
        "D_ElectricityGasSteamAndAirConditioningSupply",
        N_("Electricity, gas, steam and air conditioning supply"),
    ),
    (
        "E_WaterSupplySewerageWasteManagement",
        N_("Water supply, sewerage and waste management"),
    ),
    ("F_Construction", N_("Construction")),
    (
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        N_("Wholesale and retail trade; repair of motor vehicles"),
    ),
    ("H_TransportationAndStorage", N_("Transportation and storage")),
    ("I_AccommodationAndFoodServiceActivities", N_("Accommodation and food services")),
    ("J_InformationAndCommunication", N_("Information and communication")),
    ("K_FinancialAndInsuranceActivities", N_("Financial and insurance activities")),
    ("L_RealEstateActivities", N_("Real estate activities")),
    (
        "M_ProfessionalScientificAndTechnicalActivities",
        N_("Professional, scientific and technical activities"),
    ),
    (
        "N_AdministrativeAndSupportServiceActivities",
        N_("Administrative and support service activities"),
    ),
    ("O_PublicAdministrationAndDefence", N_("Public administration and defence")),
    ("P_Education", N_("Education")),
    ("Q_HumanHealthAndSocialWorkActivities", N_("Human health and social work")),
    ("R_ArtsEntertainmentAndRecreation", N_("Arts, entertainment and recreation")),
    ("S_OtherServiceActivities", N_("Other service activities")),
    (
        "T_ActivitiesOfHouseholdsAsEmployers",
        N_("Households as employers (domestic work)"),
    ),
    (
        "U_ActivitiesOfExtraterritorialOrganizations",
        N_("Extraterritorial organisations and bodies"),
    ),
    htcds="vic_ForcedLabourIndustry",
)

SEX_EXPLOITATION_TYPE = _list(
    "SEX_EXPLOITATION_TYPE",
    ("Prostitution", N_("Prostitution")),
    ("Pornography", N_("Pornography")),
    ("RemoteInteractiveServices", N_("Remote interactive services")),
    ("PrivateSexualServices", N_("Private sexual services")),
    htcds="vic_TypeOfSexExploitation",
)

METHODS_OF_CONTROL = _list(
    "METHODS_OF_CONTROL",
    ("PhysicalThreats", N_("Physical threats")),
    ("ThreatsLawEnforcement", N_("Threats of law enforcement")),
    ("ThreatensChildrenFamily", N_("Threats to children or family")),
    ("DebtBondage", N_("Debt bondage")),
    ("FalsePromises", N_("False promises")),
    ("PhysicalAbuse", N_("Physical abuse")),
    ("SexualAbuse", N_("Sexual abuse")),
    ("TakesEarnings", N_("Takes earnings")),
    ("RestrictsFinancialAccess", N_("Restricts access to money")),
    ("RestrictsMedicalCare", N_("Restricts medical care")),
    ("WithholdsNecessities", N_("Withholds necessities")),
    ("PsychologicalAbuse", N_("Psychological abuse")),
    ("PsychoactiveSubstance", N_("Psychoactive substances")),
    ("ExcessiveWorkingHours", N_("Excessive working hours")),
    ("WithholdsDocuments", N_("Withholds documents")),
    ("Other", N_("Other")),
    htcds="vic_MethodsOfControl",
)

RECRUITMENT_METHOD = _list(
    "RECRUITMENT_METHOD",
    ("AtAPlaceOfBusiness", N_("At a place of business")),
    ("AtAnEducationalInstitution", N_("At an educational institution")),
    ("AtWork", N_("At work")),
    ("ThroughOnlineSocialNetworks", N_("Through online social networks")),
    ("ThroughAnOnlineAdvertisement", N_("Through an online advertisement")),
    ("ThroughATelevisionAdvert", N_("Through a television advert")),
    ("ThroughANewspaperAdvert", N_("Through a newspaper advert")),
    ("ThroughFamilyOrFamilyEvents", N_("Through family or family events")),
    ("ThroughFriendsOrSocialEvents", N_("Through friends or social events")),
    ("Other", N_("Other")),
    htcds="vic_MethodOfRecruitment",
)

RELATIONSHIP_TO_TRAFFICKER = _list(
    "RELATIONSHIP_TO_TRAFFICKER",
    ("Familial", N_("Family member")),
    ("Acquainted", N_("Acquaintance")),
    ("Unaquainted", N_("Not known to the person")),  # HTCDS value name, spelled so
    htcds="vic_RelationshipToTrafficker",
)

# HTCDS's list for both vic_RecruitmentWebsitesAndApps and vic_ExploitationWebsitesAndApps
# (one list, two fields, so no ``htcds`` name of its own). Product names are not translated.
# HTCDS's ``4Sale`` is stored as ``FourSale`` (a code starts with a letter); the HTCDS
# export writes ``4Sale``.
WEBSITE_OR_APP = _list(
    "WEBSITE_OR_APP",
    ("Facebook", "Facebook"),
    ("Instagram", "Instagram"),
    ("WhatsApp", "WhatsApp"),
    ("Telegram", "Telegram"),
    ("FacebookMessenger", "Facebook Messenger"),
    ("Viber", "Viber"),
    ("SnapChat", "Snapchat"),
    ("Line", "LINE"),
    ("FourSale", "4Sale"),
    ("WeChat", "WeChat"),
    ("QQ", "QQ"),
    ("QZone", "Qzone"),
    ("TikTok", "TikTok"),
    ("Twitter", "Twitter / X"),
    ("Other", N_("Other")),
)

EVENT_TYPE = _list(
    "EVENT_TYPE",
    ("Recruitment", N_("Recruitment")),
    ("Transit", N_("Transit")),
    ("Exploitation", N_("Exploitation")),
    htcds="hte_Type",
)

# --- Consent --------------------------------------------------------------------------

CONSENT_METHOD = _list(
    "CONSENT_METHOD",
    ("Written", N_("Written")),
    ("Oral", N_("Oral")),
    ("OralWithInterpreter", N_("Oral, through an interpreter")),
)

# --- Needs assessment -----------------------------------------------------------------

NEED_DOMAIN = _list(
    "NEED_DOMAIN",
    ("Safety", N_("Safety")),
    ("ShelterHousing", N_("Shelter and housing")),
    ("PhysicalHealth", N_("Physical health")),
    ("MentalHealthPsychosocial", N_("Mental health and psychosocial")),
    ("LegalDocuments", N_("Legal and documents")),
    ("FamilyChildren", N_("Family and children")),
    ("EducationSkills", N_("Education and skills")),
    ("EmploymentIncome", N_("Employment and income")),
    ("ReturnMigrationIntentions", N_("Return and migration intentions")),
)

NEED_LEVEL = _list(
    "NEED_LEVEL",
    ("None", N_("None")),
    ("Low", N_("Low")),
    ("Medium", N_("Medium")),
    ("High", N_("High")),
    ("Urgent", N_("Urgent")),
)

# IOM determinants of migrant vulnerability model.
RISK_FACTOR_LEVEL = _list(
    "RISK_FACTOR_LEVEL",
    ("Individual", N_("Individual")),
    ("Household", N_("Household")),
    ("Community", N_("Community")),
    ("Structural", N_("Structural")),
)

# --- Support, services, referrals -----------------------------------------------------

SUPPORT_OBJECTIVE_TYPE = _list(
    "SUPPORT_OBJECTIVE_TYPE",
    ("Education", N_("Education")),
    ("Financial", N_("Financial")),
    ("Health", N_("Health")),
    ("LabourExploitationRehabilitation", N_("Labour exploitation rehabilitation")),
    ("Legal", N_("Legal")),
    ("Livelihood", N_("Livelihood")),
    ("RightsBasedTraining", N_("Rights-based training")),
    ("SexualExploitationRehabilitation", N_("Sexual exploitation rehabilitation")),
    ("SocialCare", N_("Social care")),
    htcds="spl_Type",
)

OBJECTIVE_STATUS = _list(
    "OBJECTIVE_STATUS",
    # TRANSLATORS: status of a support objective (objective: masculine in Arabic).
    ("Planned", NP_("objective status", "Planned")),
    ("InProgress", N_("In progress")),
    ("Achieved", N_("Achieved")),
    ("PartlyAchieved", N_("Partly achieved")),
    ("NotAchieved", N_("Not achieved")),
    ("Cancelled", N_("Cancelled")),
)

SERVICE_TYPE = _list(
    "SERVICE_TYPE",
    ("Accommodation", N_("Accommodation / shelter stay")),
    ("Medical", N_("Medical")),
    ("Psychosocial", N_("Psychosocial")),
    ("LegalAid", N_("Legal aid")),
    ("Interpretation", N_("Interpretation")),
    ("Documentation", N_("Documentation")),
    ("EducationVocational", N_("Education / vocational training")),
    ("Livelihood", N_("Livelihood")),
    ("Financial", N_("Financial")),
    ("FamilyTracingMediation", N_("Family tracing / mediation")),
    ("ReturnTravel", N_("Return travel")),
    ("ReintegrationAssistance", N_("Reintegration assistance")),
    ("Other", N_("Other")),
)

REFERRAL_REASON = _list(
    "REFERRAL_REASON",
    ("AdditionalServicesRequired", N_("Additional services required")),
    ("MigrationOrChangeOfLocation", N_("Migration or change of location")),
    ("Other", N_("Other")),
    htcds="cas_ReasonForOutgoingReferral",
)

REFERRAL_STATUS = _list(
    "REFERRAL_STATUS",
    # TRANSLATORS: referral status; it agrees with "referral" (feminine in he/ar/ru).
    ("Sent", NP_("referral status", "Sent")),
    # TRANSLATORS: referral status: the partner accepted the referral.
    ("Accepted", NP_("referral status", "Accepted")),
    # TRANSLATORS: referral status: the partner declined the referral.
    ("Declined", NP_("referral status", "Declined")),
    # TRANSLATORS: referral status: the services requested were delivered.
    ("Completed", NP_("referral status", "Completed")),
)

# HTCDS organisation types; ``InternationalOrganisation`` and ``Other`` are Shelter Desk
# additions (IOM, UN agencies and the like fit none of the HTCDS values).
ORGANISATION_TYPE = _list(
    "ORGANISATION_TYPE",
    ("NGO", N_("NGO")),
    ("LawEnforcement", N_("Law enforcement")),
    ("HealthServiceOrganisation", N_("Health service organisation")),
    ("CentralGovernmentOrganisation", N_("Central government organisation")),
    ("LocalGovernmentOrganisation", N_("Local government organisation")),
    ("ImmigrationService", N_("Immigration service")),
    ("LegalService", N_("Legal service")),
    ("CorporateBusiness", N_("Corporate business")),
    ("SchoolOrCollege", N_("School or college")),
    ("InternationalOrganisation", N_("International organisation")),
    ("Other", N_("Other")),
    htcds="org_Type",
)

COALITION_ROLE = _list(
    "COALITION_ROLE",
    ("Core", N_("Core")),
    ("Supporting", N_("Supporting")),
)

# --- Return and reintegration ---------------------------------------------------------

RETURN_CHECKLIST = _list(
    "RETURN_CHECKLIST",
    ("TravelDocument", N_("Travel document")),
    ("Ticket", N_("Ticket")),
    ("FitToTravel", N_("Fit to travel")),
    ("LuggageProperty", N_("Luggage and property")),
    ("Escort", N_("Escort")),
    ("ReceptionPartner", N_("Reception partner")),
)

REINTEGRATION_DIMENSION = _list(
    "REINTEGRATION_DIMENSION",
    ("Economic", N_("Economic")),
    ("Social", N_("Social")),
    ("Psychosocial", N_("Psychosocial")),
)

FOLLOW_UP_MODE = _list(
    "FOLLOW_UP_MODE",
    ("InPerson", N_("In person")),
    ("Phone", N_("Phone")),
    ("ByPartner", N_("By a partner")),
)


ALL_CODE_LISTS: dict[str, CodeList] = {
    code_list.name: code_list
    for code_list in (
        GENDER,
        MARITAL_STATUS,
        EDUCATION_LEVEL,
        DOCUMENT_TYPE,
        CONTACT_TYPE,
        CASE_STATUS,
        TRAFFICKING_STATUS,
        TRAFFICKING_STATUS_DECISION_ORG,
        CLOSURE_REASON,
        RISK_LEVEL,
        SHARING_LEVEL,
        IDENTIFICATION_SOURCE,
        DATA_SOURCE,
        EXPLOITATION_TYPE,
        FORCED_LABOUR_INDUSTRY,
        SEX_EXPLOITATION_TYPE,
        METHODS_OF_CONTROL,
        RECRUITMENT_METHOD,
        RELATIONSHIP_TO_TRAFFICKER,
        WEBSITE_OR_APP,
        EVENT_TYPE,
        CONSENT_METHOD,
        NEED_DOMAIN,
        NEED_LEVEL,
        RISK_FACTOR_LEVEL,
        SUPPORT_OBJECTIVE_TYPE,
        OBJECTIVE_STATUS,
        SERVICE_TYPE,
        REFERRAL_REASON,
        REFERRAL_STATUS,
        ORGANISATION_TYPE,
        COALITION_ROLE,
        RETURN_CHECKLIST,
        REINTEGRATION_DIMENSION,
        FOLLOW_UP_MODE,
    )
}


def is_country_code(value: str) -> bool:
    """ISO 3166-1 alpha-2 shape: two ASCII uppercase letters (CLDR checks existence)."""
    return len(value) == 2 and value.isascii() and value.isalpha() and value.isupper()


def is_language_code(value: str) -> bool:
    """ISO 639-1/-2 shape: two or three ASCII lowercase letters."""
    return 2 <= len(value) <= 3 and value.isascii() and value.isalpha() and value.islower()


def is_currency_code(value: str) -> bool:
    """ISO 4217 shape: three ASCII uppercase letters."""
    return len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()
