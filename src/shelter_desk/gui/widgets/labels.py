"""What case records and their fields are called on screen (marked with ``N_``; translate
with ``_`` when shown). The forms and the History tab use the same words."""

from __future__ import annotations

from shelter_desk.i18n import N_, _

ENTITY_LABELS: dict[str, str] = {
    "case": N_("the case"),
    "person": N_("the person"),
    "intake": N_("the intake"),
    "consent": N_("the consent"),
    "trafficking_event": N_("a trafficking event"),
    "needs_assessment": N_("a needs assessment"),
    "support_objective": N_("a support objective"),
    "service_delivery": N_("a service"),
    "referral": N_("a referral"),
    "return": N_("the return"),
    "reintegration_plan": N_("the reintegration plan"),
    "follow_up": N_("a follow-up"),
}

FIELD_LABELS: dict[str, str] = {
    # person
    "first_name": N_("First name"),
    "middle_name": N_("Middle name"),
    "second_name": N_("Family name"),
    "first_name_latin": N_("First name in Latin letters"),
    "middle_name_latin": N_("Middle name in Latin letters"),
    "second_name_latin": N_("Family name in Latin letters"),
    "aliases": N_("Other names used"),
    "birth_date": N_("Date of birth"),
    "estimated_birth_year": N_("Estimated year of birth"),
    "gender": N_("Gender"),
    "deceased": N_("Deceased"),
    "citizenships": N_("Citizenship"),
    "primary_language": N_("Main language"),
    "secondary_language": N_("Other language"),
    "marital_status": N_("Marital status"),
    "number_of_children": N_("Number of children"),
    "education_level": N_("Education"),
    "documents": N_("Identity documents"),
    "contacts": N_("Contacts"),
    "street": N_("Street"),
    "city": N_("City"),
    "country": N_("Country"),
    # case
    "owner_id": N_("Caseworker"),
    "status": N_("Status"),
    "opened_on": N_("Opened on"),
    "closed_on": N_("Closed on"),
    "closure_reason": N_("Reason for closing"),
    "closure_notes": N_("Notes on closing"),
    "trafficking_status": N_("Trafficking status"),
    "trafficking_status_decided_on": N_("Decided on"),
    "trafficking_status_decision_org": N_("Decided by"),
    "risk_level": N_("Risk"),
    "sharing_level": N_("Sharing with the national coordinator"),
    # intake
    "intake_date": N_("Intake date"),
    "place": N_("Place of the interview"),
    "interviewer": N_("Interviewer"),
    "interpreter_language": N_("Interpreter's language"),
    "identification_source": N_("How the person was identified"),
    "referring_org_id": N_("Referred by"),
    "exploitation_types": N_("Types of exploitation"),
    "forced_labour_industry": N_("Industry (forced labour)"),
    "sex_exploitation_types": N_("Types of sexual exploitation"),
    "methods_of_control": N_("Means of control"),
    "recruitment_methods": N_("How the person was recruited"),
    "relationship_to_trafficker": N_("Relationship to the trafficker"),
    "trafficking_began_on": N_("Trafficking began on"),
    "trafficking_ended_on": N_("Trafficking ended on"),
    "abducted": N_("Abducted"),
    "forced_labour_indicators": N_("ILO indicators of forced labour"),
    "delphi_indicators": N_("Delphi indicators of trafficking"),
    "narrative": N_("What the person told"),
    # consent
    "consent_given": N_("Consent to the interview"),
    "informed_of_purpose": N_("Told the purpose"),
    "informed_of_data_use": N_("Told how the information is used"),
    "informed_of_research_use": N_("Told about research use"),
    "informed_of_right_of_access": N_("Told about the right to see their information"),
    "informed_of_retention": N_("Told how long it is kept"),
    "informed_of_withdrawal": N_("Told they may withdraw consent"),
    "share_with_partners": N_("Referral to other organisations"),
    "research": N_("Research"),
    "photographs": N_("Photographs"),
    "method": N_("How consent was given"),
    "given_on": N_("Consent given on"),
    "withdrawn_on": N_("Consent withdrawn on"),
    "notes": N_("Notes"),
}


def field_label(name: str) -> str:
    """The translated name of a field (a field this version does not know: as stored)."""
    label = FIELD_LABELS.get(name)
    return _(label) if label else name.replace("_", " ")


def entity_label(entity: str) -> str:
    label = ENTITY_LABELS.get(entity)
    return _(label) if label else entity.replace("_", " ")
