"""General words the speaker rules share: titles, role nouns and organisation words."""

from __future__ import annotations


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


HONORIFICS = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "mx": None,
    "sir": "m",
    "dame": "f",
    "lord": "m",
    "lady": "f",
    "baroness": "f",
    "baron": "m",
    "dr": None,
    "prof": None,
    "king": "m",
    "queen": "f",
    "prince": "m",
    "princess": "f",
    "sheikh": "m",
    "congressman": "m",
    "congresswoman": "f",
}

ABBREVIATIONS = {
    "sen": "Senator",
    "rep": "Representative",
    "gov": "Governor",
    "prof": "Professor",
    "gen": "General",
    "dr": "Dr",
    "del": "Delegate",
    "amb": "Ambassador",
    "atty": "Attorney",
    "lt": "Lieutenant",
    "sgt": "Sergeant",
    "col": "Colonel",
    "capt": "Captain",
    "maj": "Major",
    "adm": "Admiral",
    "cmdr": "Commander",
    "supt": "Superintendent",
    "rev": "Reverend",
    "fr": "Father",
    "msgr": "Monsignor",
    "hon": "Honourable",
}

ROLE_HEADS = wordset(
    """
    president minister secretary chancellor commissioner governor mayor senator
    rider cyclist motorist shopper fan viewer reader subscriber donor buyer seller trader
    dealer broker banker accountant builder plumber electrician mechanic cleaner carer
    caregiver nanny solicitor barrister juror magistrate clerk registrar supervisor foreman
    operator contractor freelancer sister matron porter dentist pharmacist vet optician
    therapist counsellor counselor psychiatrist
    constable detective sergeant inspector superintendent commissioner-general
    assemblymember assemblyman assemblywoman councilmember alderman trainee apprentice intern
    gp steelworker miner picker technician midwife paramedic firefighter soldier pilot
    physicist chemist biologist mathematician tutor librarian curator journalist blogger
    shopkeeper landlord homeowner commuter passenger protester demonstrator claimant applicant
    jobseeker pensioner retiree grandmother grandfather caseworker auditor-general
    critic parent mother father resident tenant patient pupil farmer driver user customer
    voter volunteer headteacher headmaster headmistress pastor imam priest coach player artist
    writer novelist musician actor chef programmer presenter host moderator panellist
    panelist witness survivor veteran graduate
    representative lawmaker legislator ambassador envoy officer executive ceo cto cfo coo
    chair chairman chairwoman chairperson director head founder co-founder cofounder
    lobbyist lawyer attorney counsel adviser advisor analyst researcher scientist
    professor lecturer fellow spokesperson spokesman spokeswoman official aide manager
    partner editor engineer leader king queen prince princess judge justice regulator
    campaigner activist expert consultant academic economist strategist investor historian
    commentator diplomat negotiator premier mp mep congressman congresswoman deputy
    undersecretary coordinator superintendent inspector auditor ombudsman dean principal
    teacher nurse doctor physician ethicist technologist developer entrepreneur owner boss
    chief architect administrator commander general colonel admiral secretary-general
    director-general vice-president vice-chair councillor councilor trustee scholar
    specialist organiser organizer author co-author reporter correspondent cardiologist
    surgeon psychologist sociologist statistician chairs vp evp svp sheriff speaker member
    nominee candidate negotiator dr sir dame lord lady baroness baron sheikh pope rabbi
    bishop emir sultan
    pollster columnist anchor delegate opponent rival prosecutor neurosurgeon billionaire
    businessman businesswoman actress hopeful supporter
    """
)
_ROLE_MODS = wordset(
    """
    vice prime deputy assistant associate senior junior chief executive lead principal
    general global public policy affairs foreign home interior finance financial digital
    technology tech science health education defence defense trade economic research
    product safety security communications government legal former acting interim first
    shadow technical operating information data strategy regional national international
    managing founding permanent opposition skills energy environment climate transport
    justice culture labour labor industry innovation under branch medical grid planning
    people machine learning ai biosecurity policy-making parliamentary state federal party
    union program programme project city county district school cabinet principal elect
    longtime top prominent presumptive retired ranking
    """
)
ROLE_WORDS = ROLE_HEADS | _ROLE_MODS | frozenset(HONORIFICS) | frozenset(ABBREVIATIONS)

ORG_WORDS = wordset(
    """
    commission ministry department agency authority institute institut university council
    committee parliament congress senate union bank fund forum foundation trust group
    association alliance federation confederation cooperative centre center office board
    court party government administration house lab labs laboratory systems technologies
    technology health energy semiconductor semiconductors corp corporation inc ltd llc plc
    company co partners ventures capital holdings network networks media news times post
    herald journal review wire press service services police army navy secretariat
    initiative project programme program summit act bill report strategy software
    solutions motors airlines pharma bureau school college academy hospital hospitals
    clinic society institution network coalition league organisation organization agency
    exchange club network treaty convention declaration directive regulation code charter
    watch images studios magazine register caller action economics sciences command
    enforcement conference promotions pac politics chiefs
    sea ocean belt plaza avenue valley
    """
)

# Words that make a capitalised run a group, never one person: party and movement names
# ("Rival Democrats", "One Republican"), and quantifiers that open a run at the start of
# a sentence ("Other Republicans", "Another", "Among Democrats").
PARTY_WORDS = wordset(
    """
    democrat democrats democratic republican republicans gop conservatives liberals
    libertarians progressives independents socialists tories
    """
)
QUANTIFIERS = wordset(
    """
    one another other others some any each every either neither among plus several many
    most few all both someone anyone everyone nobody somebody everybody
    """
)
# Plural nouns for groups of people, beside the plural of a role ("Lawyers", "Supporters").
GROUP_NOUNS = wordset(
    """
    supporters opponents allies rivals associates workers netizens citizens people folks
    protesters volunteers donors delegates residents locals neighbors neighbours crowds
    """
)
