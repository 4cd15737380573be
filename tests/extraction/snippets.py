"""Invented sentences, one or more per error pattern fixed from `make eval-news` on train.

Each names the pattern it stands for (as the harness prints it), the paragraphs, words
from the quote and who must get it (None: nobody named). No corpus text and no real name:
the people, places and bodies here are made up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Snippet:
    pattern: str
    paragraphs: tuple[str, ...]
    words: str  # words inside the quote that must be attributed
    speaker: str | None


SNIPPETS = [
    Snippet(
        "crash: party in parentheses before the speech verb",
        ("Sen. Jane Ordway (D-Ore.) said the plan works.",),
        "the plan works",
        "Jane Ordway",
    ),
    Snippet(
        "crash: acronym in parentheses before the speech verb",
        ("The Office of Water Safety (OWS) said it would act within a week.",),
        "it would act",
        None,
    ),
    Snippet(
        "not found: direct, source name, appositive after the cue ('' quote marks)",
        ("''We will not wait for the courts,'' said Senator Ana Ruiz, the panel's chairwoman.",),
        "We will not wait for the courts",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: direct, source title + name before the cue ('' quote marks)",
        (
            "Tomas Quell runs the port authority.",
            "''The cranes are older than I am,'' Mr. Quell said on Friday.",
        ),
        "The cranes are older",
        "Tomas Quell",
    ),
    Snippet(
        "not found: reported-saying, cue 'say' as ', saying' after the speaker's clause",
        ("Ana Ruiz attacked the budget on Monday, saying the cuts go too far for rural schools.",),
        "the cuts go too far",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, progressive cue ('is warning')",
        ("Ilse Brandvold is warning that the old dam will fail within a decade.",),
        "the old dam will fail",
        "Ilse Brandvold",
    ),
    Snippet(
        "not found: reported-saying, cue 'call' ('calling for')",
        ("Mayor Tomas Quell is calling for a freeze on new building permits until spring.",),
        "a freeze on new building permits",
        "Tomas Quell",
    ),
    Snippet(
        "unattributed: reported-saying, source one-word name whose full name is in a quotation",
        (
            '"I met Energy Secretary Tomas Quell on Monday," the mayor said.',
            "Later in the week, Quell said that 400 jobs at the plant would go.",
        ),
        "400 jobs at the plant would go",
        "Tomas Quell",
    ),
    Snippet(
        "not found: reported-saying, cue 'call' with object and complement",
        ("Former Governor Ana Ruiz called the new budget \u201cshameful.\u201d",),
        "the new budget",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, cue 'accuse'",
        ("Ana Ruiz accused the board of hiding the losses from voters.",),
        "hiding the losses",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, cue 'point' ('pointed out that')",
        ("Tomas Quell pointed out that the board had not met since March.",),
        "the board had not met",
        "Tomas Quell",
    ),
    Snippet(
        "not found: reported-saying, 'was quoted as saying'",
        ("Ana Ruiz was quoted as saying that the port would close by June.",),
        "the port would close",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: direct, participle after 'by' ('ended by saying')",
        ("Tomas Quell ended the hearing by saying \u201cWe failed every one of them.\u201d",),
        "We failed every one of them",
        "Tomas Quell",
    ),
    Snippet(
        "spurious speaker: a country before the speech verb",
        ("The United States said it would not sign the treaty this year.",),
        "it would not sign the treaty",
        None,
    ),
    Snippet(
        "spurious speaker: a many-word city before the speech verb",
        ("San Antonio said it would close three libraries in the spring.",),
        "it would close three libraries",
        None,
    ),
    Snippet(
        "spurious speaker: 'the <State> <Party>' epithet for someone already named",
        (
            "Senator Ana Ruiz voted against the bill on Tuesday.",
            "The Ohio Democrat said in a statement that the bill would hurt farmers.",
        ),
        "the bill would hurt farmers",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: reported-saying, appositive ending in 'Town, State,'",
        ("Ana Ruiz, a delegate from Dayton, Ohio, said the convention had been a circus.",),
        "the convention had been a circus",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: direct, surname with a curly apostrophe ('O\u2019Neal')",
        (
            "The film was made by Tomas O\u2019Neal.",
            "\u201cIt took nine years,\u201d O\u2019Neal said.",
        ),
        "It took nine years",
        "Tomas O'Neal",
    ),
    Snippet(
        "unattributed: direct, surname whose full name appears only as a possessive",
        (
            "Critics attacked Energy Secretary Tomas Quell\u2019s plan on Monday.",
            "\u201cThe plan stands as written,\u201d Quell said.",
        ),
        "The plan stands as written",
        "Tomas Quell",
    ),
    Snippet(
        "unattributed: direct, surname shared with a relative who has not spoken",
        (
            '"We start in the north," said Ana Ruiz, the candidate.',
            "Her husband, Tomas Ruiz, stood beside her.",
            '"Then we go south," Ruiz said.',
        ),
        "Then we go south",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, cue 'vow' with an infinitive",
        ("Ana Ruiz has vowed to repeal the parking levy within a year.",),
        "repeal the parking levy",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, cue 'urge' with object and infinitive",
        ("Judge Tomas Quell had urged the department to release the files by July.",),
        "release the files by July",
        "Tomas Quell",
    ),
    Snippet(
        "unattributed: reported-saying, appositive with 'from Town, St.,'",
        ("Ana Ruiz, a nurse from Ava, Mo., who joined the union, said the pay had not changed.",),
        "the pay had not changed",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: direct, appositive left open before the verb",
        (
            "Ana Ruiz, president of the Harbour Restaurant Association stated, "
            "\u201cIt is a math problem, not a political one.\u201d",
        ),
        "It is a math problem",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: direct, pronoun after a sentence whose subject is one of two people",
        (
            "Ana Ruiz, 75, a retiree, backed Gov. Tomas Quell in the primary.",
            "\u201cI will vote for him again,\u201d she said.",
        ),
        "I will vote for him again",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: direct, credit line '\u2015 Name' closing the quote's paragraph",
        (
            "\u201cThe bus never came, so we walked.\u201d \u2015 Ana Ruiz",
            "\u201cNobody told us the route had changed.\u201d \u2015 Tomas Quell",
        ),
        "Nobody told us the route had changed",
        "Tomas Quell",
    ),
    Snippet(
        "unattributed: direct, credit line with handle and date in its own paragraph",
        (
            "Readers answered all week.",
            "I waited three hours at the stop and nobody came.",
            "\u2014 Ana Ruiz (@anaruiz) May 3, 2016",
        ),
        "I waited three hours",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, clause before 'X said <when/where>, noting ...'",
        ("The new levy is unfair to renters, Tomas Quell said Tuesday in Dayton, noting a vote.",),
        "The new levy is unfair to renters",
        "Tomas Quell",
    ),
    Snippet(
        "not found: reported-saying, attribution interrupting its clause ('A, X said, B')",
        (
            "Rudy Quell spoke first.",
            "If the levy was never tested in court, Quell said, the reason is simple.",
        ),
        "If the levy was never tested in court",
        "Rudy Quell",
    ),
    Snippet(
        "not found: reported-saying, relative clause 'Name, the chair, who said ...'",
        (
            "The plan was backed by Sen. Ana Ruiz of Ohio, the ranking member of the panel, "
            "who said none of the files came from her office.",
        ),
        "none of the files came from her office",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, relative clause followed by the main verb",
        ("Ana Ruiz, who says the state should act, voted against the bill on Friday.",),
        "the state should act",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, clause opening with 'As a ...,' before 'X said'",
        (
            "Tomas Quell met her twice.",
            "As a nurse, she drew less notice at the border, Quell said.",
        ),
        "she drew less notice at the border",
        "Tomas Quell",
    ),
    Snippet(
        "unattributed: direct, lone surname never introduced ('\u201c...,\u201d Quell said')",
        ("\u201cThe port will stay open all winter,\u201d Quell said.",),
        "The port will stay open",
        "Quell",
    ),
    Snippet(
        "spurious speaker: a plural group noun alone before the verb (guards the lone-name rule)",
        ("Aides said the minister would travel to the border on Friday.",),
        "the minister would travel",
        None,
    ),
    Snippet(
        "unattributed: reported-saying, 'according to <work> by <Name> of <Org>'",
        (
            "A living wage is about $12 an hour, according to calculations by Ana Ruiz of the "
            "Harbour Institute.",
        ),
        "A living wage is about",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: reported-saying, 'according to a post from <Name>'",
        ("The coverage will come with a strong bias, according to a post from Ana Ruiz.",),
        "The coverage will come",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, 'and called him <complement>' after another verb",
        ("Ana Ruiz knocked Quell on trade and called him \u201csoft.\u201d",),
        "him",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, clause before 'X told <audience> <day>'",
        (
            "The plan includes a new border force, Defense Secretary Ana Ruiz told a Senate panel "
            "Wednesday.",
        ),
        "The plan includes a new border force",
        "Ana Ruiz",
    ),
    Snippet(
        "wrong: reported-saying, sentence ending in a short quoted phrase runs into the next",
        (
            "On the radio, Governor Tomas Quell called the plan \u201creckless.\u201d "
            "Sen. Ana Ruiz called the statement \u201cpetty and false.\u201d",
        ),
        "the statement",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: direct, attribution ending in ':' with the quotation as next paragraph",
        (
            "17-year-old Ana Ruiz echoed:",
            "\u201cShe speaks her mind, and that is what the town needs.\u201d",
        ),
        "She speaks her mind",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, quoted programme title right before the speaker",
        (
            "In an interview with \u201cMorning Desk,\u201d Ana Ruiz pointed to the port as "
            "the hub.",
        ),
        "the port as the hub",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, 'with <Name> calling ...' (participle after a name)",
        ("Rivals went further, with former Gov. Ana Ruiz calling the mayor a fraud.",),
        "the mayor a fraud",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, ', eventually saying' after a long clause opened by a name",
        (
            "Senator Ana Ruiz of Ohio, who is running second, stuck to policy at first but "
            "turned tougher, eventually saying the mayor would be a disaster.",
        ),
        "the mayor would be a disaster",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, '... and said that' after a long first clause",
        (
            "In a brief interview, Ms. Ana Ruiz rejected the idea of a shake-up and said that "
            "the manager was not being sidelined.",
        ),
        "the manager was not being sidelined",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, participle after a clause with an opening phrase",
        (
            "Tomas Quell ran too.",
            "Speaking at a town hall in Dayton, Ohio, Quell went after the mayor, calling him "
            "\u201ca total failure.\u201d",
        ),
        "a total failure",
        "Tomas Quell",
    ),
    Snippet(
        "not found: reported-saying, adverb between the name and the verb ('X now says')",
        ("Tomas Quell now says he is being denied a stage at some venues.",),
        "he is being denied a stage",
        "Tomas Quell",
    ),
    Snippet(
        "not found: reported-saying, words and a short quote before 'said X'",
        (
            "The mayor\u2019s message may be \u201cstrategic,\u201d said Ana Ruiz, an assistant "
            "professor at the college.",
        ),
        "message may be",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, pronoun after 'when' ('... when she said X')",
        ("Ana Ruiz was booed at the debate when she said the attack was aimed at the mayor.",),
        "the attack was aimed at the mayor",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: direct, lone surname after an opening clause ('Asked ..., X said')",
        ("Asked if the storm had rattled them, Quell said, \u201cSure, but we are ready.\u201d",),
        "Sure, but we are ready",
        "Quell",
    ),
    Snippet(
        "wrong: direct, pronoun after a sentence opened by a known surname",
        (
            "Mayor Ben Ortiz once praised Tomas Quell.",
            "Quell was clearly trying to win favour with Ortiz; indeed, he had said, "
            "\u201cMoney buys every vote in this town.\u201d",
        ),
        "Money buys every vote",
        "Tomas Quell",
    ),
    Snippet(
        "spurious speaker: never a named source (a party's members: 'Rival Democrats said')",
        ("Rival Democrats said the levy would sink the harbour towns.",),
        "the levy would sink",
        None,
    ),
    Snippet(
        "spurious speaker: never a named source (a quantifier opens the run: 'Other ...')",
        ("Other Republicans said the levy was a mistake.",),
        "the levy was a mistake",
        None,
    ),
    Snippet(
        "spurious speaker: never a named source (a plural role at a sentence start)",
        ("Supporters said the levy would save the harbour towns.",),
        "the levy would save",
        None,
    ),
    Snippet(
        "not found: reported-saying, a quoted phrase opens the clause ('argued that \"X\" ...')",
        (
            "Ana Ruiz runs the port.",
            "Ruiz argued that \u201coutsiders\u201d let the harbour decay for a decade.",
        ),
        "let the harbour decay",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, adverb after an auxiliary ('X has since said')",
        ("Ana Ruiz runs the port.", "Mrs. Ruiz has since said she would back a smaller levy."),
        "she would back a smaller levy",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, cue 'tell' after 'but' ('..., but told the crowd that')",
        (
            "Ana Ruiz runs the port.",
            "Ruiz did not name the mayor, but told the crowd that the port should be run by "
            "locals.",
        ),
        "the port should be run by locals",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, a time phrase between the name and the verb",
        ("Ana Ruiz runs the port.", "Ruiz on Tuesday said that the levy would sink the towns."),
        "the levy would sink the towns",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, 'in a statement' or 'however' before the verb",
        (
            "Tomas Quell runs the port.",
            "Quell in a statement said the board had held 75 hearings.",
            "Quell however said he would welcome a smaller levy.",
        ),
        "he would welcome a smaller levy",
        "Tomas Quell",
    ),
    Snippet(
        "not found: reported-saying, a long adverbial before 'that' ('said Thursday during ...,')",
        (
            "Ana Ruiz runs the port.",
            "Ruiz said Thursday during a taping of a radio show in Dayton, Ohio, that the levy "
            "is wrong for the town.",
        ),
        "the levy is wrong",
        "Ana Ruiz",
    ),
    Snippet(
        "not found: reported-saying, a quoted show title before 'that'",
        (
            "Ana Ruiz runs the port.",
            "Ruiz said on the radio show \u201cMorning Desk\u201d that she would back the levy.",
        ),
        "she would back the levy",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: reported-saying, a second speaker after ', and' in one sentence",
        (
            "The board says it is on track, and Tomas Quell, the port's climate adviser, said "
            "he and his staff were preparing plans.",
        ),
        "he and his staff were preparing plans",
        "Tomas Quell",
    ),
    Snippet(
        "unattributed: reported-saying, lone surname with an auxiliary ('X has previously said')",
        ("Quell has previously said that the harbour should not be sold.",),
        "the harbour should not be sold",
        "Quell",
    ),
    Snippet(
        "unattributed: direct, source title/role + name after the cue ('said pollster X')",
        ("\u201cThe numbers will not hold,\u201d said Democratic pollster Lena Brandt.",),
        "The numbers will not hold",
        "Lena Brandt",
    ),
    Snippet(
        "not found: reported-saying, cue 'question' ('X questioned whether ...')",
        (
            "Tomas Quell runs the port.",
            "Quell questioned whether the levy would survive a second vote.",
        ),
        "the levy would survive a second vote",
        "Tomas Quell",
    ),
    Snippet(
        "unattributed: direct, cue 'shout' ('\"...,\" X shouted')",
        ("\u201cGo home and read the bill,\u201d Lena Brandt shouted from the gallery.",),
        "Go home and read the bill",
        "Lena Brandt",
    ),
    Snippet(
        "spurious speaker: never a named source (a watchdog or a magazine: 'X Watch said')",
        ("Harbor Watch said the levy would sink the harbour towns.",),
        "the levy would sink",
        None,
    ),
    Snippet(
        "unattributed: direct, a surname shared by a relative who speaks less",
        (
            "Tomas Quell opened the new harbour on Monday.",
            "\u201cThe port is back,\u201d Quell said. \u201cWe rebuilt it,\u201d Quell said.",
            "His daughter Mira Quell said he had worked on it for years.",
            "\u201cWe will not sell the docks,\u201d Quell said.",
        ),
        "We will not sell the docks",
        "Tomas Quell",
    ),
    Snippet(
        "unattributed: direct, lone surname after the cue ('\"...,\" said X.')",
        ("\u201cThe harbour will close by spring,\u201d said Quell, who returned home on Monday.",),
        "The harbour will close by spring",
        "Quell",
    ),
    Snippet(
        "unattributed: direct, title abbreviation after the cue ('said Del. X')",
        ("\u201cIt is destroying the committee,\u201d said Del. Lena Brandt, a Democrat.",),
        "It is destroying the committee",
        "Lena Brandt",
    ),
    Snippet(
        "wrong: direct, a second speaker after an opening 'After X said ..., Y said:'",
        (
            "After Ana Ruiz said that pupils might do better at \u201csmaller schools,\u201d Tomas "
            "Quell said: \u201cI don\u2019t like what she said, not at all.\u201d",
        ),
        "I don\u2019t like what she said",
        "Tomas Quell",
    ),
    Snippet(
        "not found: direct, cue 'put it' ('As X puts it, \"...\"')",
        ("As Lena Brandt puts it, \u201cHarbour voters are unmoved, the board tired.\u201d",),
        "Harbour voters are unmoved",
        "Lena Brandt",
    ),
    Snippet(
        "not found: reported-saying, a surname that is also a title ('Jo King, a ..., said')",
        ("Marla King, a former director of the harbour board, said the port needs two cranes.",),
        "the port needs two cranes",
        "Marla King",
    ),
    Snippet(
        "not found: direct, honorific and a surname that is also a title ('Mr. Dean said')",
        (
            "Tomas Dean runs the mill on the river.",
            "\u201cWe reopen in May,\u201d Mr. Dean said.",
        ),
        "We reopen in May",
        "Tomas Dean",
    ),
    Snippet(
        "spurious speaker: a capitalised name inside a longer one ('the Commission on X said')",
        ("The Commission on Harbour Crossings said the ferry had broken no rule.",),
        "the ferry had broken no rule",
        None,
    ),
    Snippet(
        "unattributed: direct, title abbreviation after the cue ('said the Rev. X')",
        (
            "\u201cThe harbour will never be the same,\u201d said the Rev. Lena Brandt, "
            "of St. Ives.",
        ),
        "The harbour will never be the same",
        "Lena Brandt",
    ),
    Snippet(
        "not found: reported-saying, an adverb between the appositive and the cue",
        ("Tomas Quell, the head of the ferry union, sharply argued that fares must fall.",),
        "fares must fall",
        "Tomas Quell",
    ),
    Snippet(
        "spurious speaker: a sentence adverb read as a given name ('Even Ruritania said')",
        ("Even Ruritania said it was firmly opposed to the new ferry tolls.",),
        "it was firmly opposed",
        None,
    ),
    Snippet(
        "not found: reported-saying, a speech verb in the appositive's relative clause first",
        (
            "Tomas Quell, a former harbour master who argued with Ms. Brandt at the hearing, "
            "said in an interview that the port had been told to cut fees.",
        ),
        "the port had been told to cut fees",
        "Tomas Quell",
    ),
    Snippet(
        "wrong: direct, age and 'of Town, State,' appositives before the cue",
        (
            "\u201cBoth plans scare me,\u201d Ana Ruiz, 30, of Dunmore, Pa., who was among "
            "those polled, said in an interview.",
        ),
        "Both plans scare me",
        "Ana Ruiz",
    ),
    Snippet(
        "unattributed: direct, possessive description then the name after the cue",
        (
            "\u201cWe treat the month as one long polling day,\u201d said Ruiz\u2019s deputy "
            "campaign manager, Tomas Quell, in a statement.",
        ),
        "one long polling day",
        "Tomas Quell",
    ),
    Snippet(
        "unattributed: direct, 'added his campaign manager X, speaking to ...'",
        (
            "\u201cWe will chip away at the lead,\u201d added his campaign manager Lena Brandt, "
            "speaking to reporters after the rally.",
        ),
        "We will chip away at the lead",
        "Lena Brandt",
    ),
    Snippet(
        "unattributed: direct, place and lowercase title words before the name after the cue",
        (
            "\u201cThe court is my biggest concern,\u201d said Dunmore ferry-company executive "
            "Marla Okafor, who backed the mayor.",
        ),
        "The court is my biggest concern",
        "Marla Okafor",
    ),
    Snippet(
        "wrong: reported-saying, 'says role X in Place' read the place as the name",
        (
            "Even the smallest port has more trade now, says political scientist Ilse Varga "
            "in Tolna.",
        ),
        "the smallest port has more trade now",
        "Ilse Varga",
    ),
    Snippet(
        "not found: reported-saying, 'the body's head of X, Name, said' (no town and state)",
        ("The port's head of ferries, Ilse Varga, said the timetable would change in April.",),
        "the timetable would change",
        "Ilse Varga",
    ),
    Snippet(
        "unattributed: direct, the employer's possessive before the name ('The Gazette's X said:')",
        (
            "The Gazette\u2019s Tomas Quell said: \u201cShould the ferry close, the island is "
            "cut off.\u201d",
        ),
        "the island is cut off",
        "Tomas Quell",
    ),
    Snippet(
        "not found: reported-saying, 'the director of the Bureau of X, Name, said'",
        (
            "On Monday, however, the director of the Harbour Bureau of Investigation, Ana B. "
            "Ruiz, said that the logs were private.",
        ),
        "the logs were private",
        "Ana B. Ruiz",
    ),
    Snippet(
        "not found: direct, cue after a verb chain ('X went on to say')",
        (
            "Okafor went on to say, \u201cFrom the bottom of my heart, I know the port will "
            "live.\u201d",
        ),
        "I know the port will live",
        "Okafor",
    ),
    Snippet(
        "spurious speaker: the outlet after 'wrote X for Outlet' taken for the writer",
        ("\u201cThe ferry vote changed little,\u201d wrote Marla Okafor for Harbour Weekly.",),
        "The ferry vote changed little",
        "Marla Okafor",
    ),
    Snippet(
        "not found: reported-saying, ', saying' after 'Adjective adjective title Name verb'",
        (
            "Democratic presidential nominee Lena Brandt chimed in on the radio, saying that "
            "officials should publish the ferry logs.",
        ),
        "officials should publish the ferry logs",
        "Lena Brandt",
    ),
    Snippet(
        "spurious speaker: the body in 'Officials at Body, a division of X, said'",
        (
            "Officials at Harbour Security Investigations, a division of the Customs Agency, "
            "said they feared the ferry papers were forged.",
        ),
        "the ferry papers were forged",
        None,
    ),
    Snippet(
        "spurious speaker: an imperative opening a sentence ('Say Ruritania demanded ...')",
        ("Say Ruritania demanded that the harbour prove its case first.",),
        "the harbour prove its case",
        None,
    ),
]
