import re

import pytest

from shelter_desk.domain import codes
from shelter_desk.domain.codes import ALL_CODE_LISTS, Code, CodeList

# HTCDS 2.0 picklist value names (standards/htcds/htcds-2.0-fields.tsv): the stored codes
# must contain every one of them unchanged so the HTCDS export writes them as they are.
HTCDS_VALUES = {
    "prs_Gender": "Feminine Masculine TransgenderFeminine TransgenderMasculine NonConforming "
    "NonSpecifiedUnknown",
    "prs_MaritalStatus": "Single Married Widowed Divorced Separated RegisteredPartnership",
    "prs_HighestLevelOfEducation": "EarlyChildhoodEducation PrimaryEducation "
    "LowerSecondaryEducation UpperSecondaryEducation PostSecondaryNonTertiaryEducation "
    "ShortCycleTertiaryEducation BachelorsOrEquivalentLevel MastersOrEquivalentLevel "
    "DoctoralOrEquivalentLevel",
    "vic_TraffickingStatus": "PossibleVictimOfTrafficking ActualVictimOfTrafficking "
    "NotAVictimOfTrafficking",
    "vic_TraffickingStatusDecisionMakingOrg": "Police NGO CourtOrProsecution "
    "NonPoliceGovernmentalOrganization Other",
    "vic_RelationshipToTrafficker": "Familial Acquainted Unaquainted",
    "vic_MethodOfRecruitment": "AtAPlaceOfBusiness AtAnEducationalInstitution AtWork "
    "ThroughOnlineSocialNetworks ThroughAnOnlineAdvertisement ThroughATelevisionAdvert "
    "ThroughANewspaperAdvert ThroughFamilyOrFamilyEvents ThroughFriendsOrSocialEvents Other",
    "vic_MethodsOfControl": "PhysicalThreats ThreatsLawEnforcement ThreatensChildrenFamily "
    "DebtBondage FalsePromises PhysicalAbuse SexualAbuse TakesEarnings "
    "RestrictsFinancialAccess RestrictsMedicalCare WithholdsNecessities PsychologicalAbuse "
    "PsychoactiveSubstance ExcessiveWorkingHours WithholdsDocuments Other",
    "vic_TypeOfExploitation": "ForcedLabour SexualExploitation ChildLabour ForcedMarriage "
    "Servitude ForcedMilitaryByNonStateActors OrganRemoval ForcedBegging ForcedAdoption "
    "Surrogacy Other",
    "vic_ForcedLabourIndustry": "A_AgricultureForestryAndFishing B_MiningAndQuarrying "
    "C_Manufacturing D_ElectricityGasSteamAndAirConditioningSupply "
    "E_WaterSupplySewerageWasteManagement F_Construction "
    "G_WholesaleAndRetailTradeRepairOfMotorVehicles H_TransportationAndStorage "
    "I_AccommodationAndFoodServiceActivities J_InformationAndCommunication "
    "K_FinancialAndInsuranceActivities L_RealEstateActivities "
    "M_ProfessionalScientificAndTechnicalActivities "
    "N_AdministrativeAndSupportServiceActivities O_PublicAdministrationAndDefence "
    "P_Education Q_HumanHealthAndSocialWorkActivities R_ArtsEntertainmentAndRecreation "
    "S_OtherServiceActivities T_ActivitiesOfHouseholdsAsEmployers "
    "U_ActivitiesOfExtraterritorialOrganizations",
    "vic_TypeOfSexExploitation": "Prostitution Pornography RemoteInteractiveServices "
    "PrivateSexualServices",
    "cas_Status": "Active FollowUp Closed ClosedReferred",
    "cas_ReasonForOutgoingReferral": "AdditionalServicesRequired MigrationOrChangeOfLocation Other",
    "hte_Type": "Recruitment Transit Exploitation",
    "spl_Type": "Education Financial Health LabourExploitationRehabilitation Legal "
    "Livelihood RightsBasedTraining SexualExploitationRehabilitation SocialCare",
    "org_Type": "NGO LawEnforcement HealthServiceOrganisation CentralGovernmentOrganisation "
    "LocalGovernmentOrganisation ImmigrationService LegalService CorporateBusiness "
    "SchoolOrCollege",
}


def test_every_htcds_picklist_is_covered_with_its_exact_value_names() -> None:
    by_field = {cl.htcds_field: cl for cl in ALL_CODE_LISTS.values() if cl.htcds_field}
    assert set(by_field) == set(HTCDS_VALUES)
    for field_name, values in HTCDS_VALUES.items():
        missing = set(values.split()) - set(by_field[field_name].codes())
        assert not missing, (field_name, missing)


def test_htcds_lists_keep_htcds_order_first() -> None:
    # Display order follows HTCDS; Shelter Desk additions come after (or, for education,
    # the one level below ISCED 0 comes first).
    assert codes.CASE_STATUS.codes() == ("Active", "FollowUp", "Closed", "ClosedReferred")
    assert codes.ORGANISATION_TYPE.codes()[:9] == tuple(HTCDS_VALUES["org_Type"].split())
    assert codes.EDUCATION_LEVEL.codes()[1:] == tuple(
        HTCDS_VALUES["prs_HighestLevelOfEducation"].split()
    )


@pytest.mark.parametrize(
    ("code_list", "expected"),
    [
        (codes.SHARING_LEVEL, ("Identified", "Pseudonymised", "StatisticsOnly", "NotShared")),
        (codes.CONSENT_METHOD, ("Written", "Oral", "OralWithInterpreter")),
        (codes.NEED_LEVEL, ("None", "Low", "Medium", "High", "Urgent")),
        (codes.RISK_LEVEL, ("Low", "Medium", "High")),
        (codes.RISK_FACTOR_LEVEL, ("Individual", "Household", "Community", "Structural")),
        (codes.REFERRAL_STATUS, ("Sent", "Accepted", "Declined", "Completed")),
        (codes.COALITION_ROLE, ("Core", "Supporting")),
        (codes.FOLLOW_UP_MODE, ("InPerson", "Phone", "ByPartner")),
        (codes.EVENT_TYPE, ("Recruitment", "Transit", "Exploitation")),
        (codes.DATA_SOURCE, ("CaseManagement", "Hotline")),
        (codes.REINTEGRATION_DIMENSION, ("Economic", "Social", "Psychosocial")),
        (
            codes.RETURN_CHECKLIST,
            (
                "TravelDocument",
                "Ticket",
                "FitToTravel",
                "LuggageProperty",
                "Escort",
                "ReceptionPartner",
            ),
        ),
    ],
)
def test_fixed_lists(code_list: CodeList, expected: tuple[str, ...]) -> None:
    assert code_list.codes() == expected


def test_need_domains_cover_the_nine_assessment_areas() -> None:
    assert len(codes.NEED_DOMAIN) == 9
    assert "ReturnMigrationIntentions" in codes.NEED_DOMAIN


def test_service_types_follow_the_data_model() -> None:
    assert len(codes.SERVICE_TYPE) == 13
    assert codes.SERVICE_TYPE.codes()[0] == "Accommodation"
    assert codes.SERVICE_TYPE.codes()[-1] == "Other"


def test_closure_reasons_include_the_iom_handbook_reasons() -> None:
    for reason in (
        "SupportCompleted",
        "NoLongerEligible",
        "ChoseToStopSupport",
        "LeftTheArea",
        "ReMigrated",
        "Deceased",
        "FundingEnded",
        "SecurityConstraints",
    ):
        assert reason in codes.CLOSURE_REASON


def test_all_code_lists_is_keyed_by_name_and_holds_the_module_constants() -> None:
    assert len(ALL_CODE_LISTS) >= 34
    for name, code_list in ALL_CODE_LISTS.items():
        assert code_list.name == name
        assert getattr(codes, name) is code_list


def test_codes_are_stable_identifiers_and_labels_are_present() -> None:
    identifier = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
    for code_list in ALL_CODE_LISTS.values():
        for item in code_list:
            assert identifier.fullmatch(item.code), (code_list.name, item.code)
            assert item.label.strip() and item.label == item.label.strip()


def test_code_list_api() -> None:
    status = codes.CASE_STATUS
    assert "Active" in status
    assert "active" not in status
    assert 3 not in status
    assert status.label("FollowUp") == "Follow-up"
    assert status.get("Closed") == Code("Closed", "Closed")
    assert status.get("Nope") is None
    assert len(status) == 4
    assert [item.code for item in status] == list(status.codes())
    assert "CASE_STATUS" in repr(status)


def test_unknown_code_label_shows_the_code_itself() -> None:
    assert codes.CASE_STATUS.label("Archived") == "Archived"


def test_duplicate_codes_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        CodeList("X", (Code("A", "a"), Code("A", "b")))


@pytest.mark.parametrize(
    ("value", "country", "language", "currency"),
    [
        ("GE", True, False, False),
        ("ge", False, True, False),
        ("heb", False, True, False),
        ("ILS", False, False, True),
        ("G", False, False, False),
        ("G1", False, False, False),
        ("ÄB", False, False, False),
        ("", False, False, False),
        ("engl", False, False, False),
    ],
)
def test_shapes(value: str, country: bool, language: bool, currency: bool) -> None:
    assert codes.is_country_code(value) is country
    assert codes.is_language_code(value) is language
    assert codes.is_currency_code(value) is currency
