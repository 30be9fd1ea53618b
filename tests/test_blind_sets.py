"""Floors on the blind sentence sets of issue 16 (tests/cases/blind.tsv to blind5.tsv).

The sets were labelled and committed before the tagger first ran on them; their first-run
figures are in the issue's note. These floors keep the figures the rules reach now (the
issue's floors: measures and mechanisms P and R >= 0.9, outcomes P >= 0.95), so a change
that loses ground on unseen wording of these kinds fails here. blind2's mechanism precision
floor is lower: four of its labels are strict readings (楼栋长收集居民诉求 is no survey) that the
rules do not share, and they were left as labelled rather than changed after the run.
blind3 (351 sentences by a labeller who saw neither rules nor lexicons) first ran on 1023914:
measures P .731 R .772, mechanisms .724/.717, outcomes P .915 R .977. blind3 is NO LONGER BLIND:
the issue 16 work on branch codes studied its errors as classes and widened the rules from them
(measures .936/1.000, mechanisms .928/.972, outcomes .989/1.000 after it); its floors keep that
ground, and only a set labelled after that work (blind4) says how the rules hold on unseen wording.
blind4 (347 sentences by a labeller who saw neither rules, lexicons nor tests, committed in
223ed5e before any run) first ran on 83acf7f, before the codes work: measures P .656 R .648,
mechanisms .676/.783, outcomes P .805 R .962 (sentences normalised to simplified script as clean
does); on b620375, after it: measures .681/.685, mechanisms .712/.783, outcomes .849/.970. Issue 16
check 2 (>= 0.9 and >= 0.95) is NOT met on unseen wording: the floors below only keep the ground;
blind4 is no longer blind once anyone studies its errors, and the next check needs a set of its own.
blind4 is NO LONGER BLIND: branch i16c studied its errors as classes (and three probes of its own
sentences, labelled before running) and reached measures .846/.933, mechanisms .803/.917, outcomes
.928/.970; its floors keep that ground. Most of what is left are readings the other sets and the dev
gold do not share (a canteen for the elderly is also elderly_care in dev2's gold; a meal's price is an
outcome in dev3's gold; a venue made a 议事厅 is deliberation in blind.tsv and blind3.tsv).
probes_i16c.tsv (351 sentences in nine rounds, written and labelled before each round's first run by the
helper who worked on the rules, so not blind) first ran at .786/.731, .883/.729, outcomes P .872 (all
rounds, each on the rules of its time; rounds 8 and 9, after the others were fixed: .854/.732,
.895/.791, .875); its floors keep what the rules reach after each round was read as classes.
blind5 (406 sentences by a labeller who saw neither rules, lexicons, tests nor any earlier set,
committed in 5ff8fe6 before any run) is the unseen measure of that work: on 70b1887, before i16c was
merged, measures P .722 R .695, mechanisms .775/.771, outcomes P .864 R .977; after the merge .731/.720,
.749/.799, .873/.977. The studied sets rose by 0.1 to 0.25, the unseen one by 0.01 to 0.03: lexicon rows
and in-passing lists do not carry to new wording, and check 2 is not met. Its floors guard the first
reading; blind5 is no longer blind now that its errors have been counted. blind6.tsv (389 sentences,
same protocol) was first scored on bc1f04d, with the rules of codes and outcome values unchanged since 722abf1 (the places work of that
session does not touch codes or outcome values): measures P .698 R .706, mechanisms .729/.712, outcomes
P .798 R .987. Its outcome errors were then read (as classes, for the note of issues 15 and 16): most extras
are per-unit prices, plan targets and citywide figures, which the blind convention leaves out and the dev
gold counts, so blind6 is no longer blind for outcomes. blind7.tsv (419 sentences, same protocol, committed in
534bdbc before any run) was scored once at the same time and its errors not read: measures .809/.883,
mechanisms .790/.906, outcomes .852/.995. It is the next unseen set: score it, do not study it.
blind7_b.tsv labels blind7's sentences again, by a second labeller who saw neither blind7's labels nor
anything of the project (tests/agreement.py): the two agree closely (B's firm codes against A: F1 .959 and
.945, outcomes .992), so the tagger's misses on blind7 are its own, not the labels' noise. On the labels
both share (a code firm in both; one firm in only one is neither rewarded nor penalised) the tagger read
measures .850/.896, mechanisms .840/.924, outcomes .863/.995: check 2 is not met on them either.
blind6's code errors were then read as classes (its outcomes had been): documents named by their kind
(《...条例》), let-alone and refusal negators, shortages and failing facilities as a poor state, door to
door that arranges or enforces, common income that pays for nothing, straight-quoted speech, and the
place of a number whose sentence names none, and missed wording of works and facilities (blind6 measures
.698/.706 -> .724/.740, mechanisms .729 -> .772, outcomes .798 -> .806). blind7 was then scored as aggregates only, after each change, and one change
that cost it a true positive for nothing gained was taken back: measures .812/.883, mechanisms
.800/.901, outcomes .856/.995; on the shared labels .850/.896, .854/.924, .867/.995.
blind7 is NO LONGER BLIND: its errors (with blind5's and blind6's) were then read as classes: an official
named by office who does nothing (党委书记, flag actor), a kind of work judged in general (@generic_talk),
a plan, worry or opinion word ending the clause before (居民担心，...), a question, a leader's directive,
rooms a venue is fitted with, a group's own commitments (约定, 承诺书), papers put up for all, retired
professionals serving neighbours, capital numerals inside words (队伍), set phrases (围坐一桌), and many
wordings of works, services and ways of working. blind8.tsv (498 sentences, committed in 155a1c5 before any
run) was scored once after the first four of those changes: measures .791/.808, mechanisms .786/.827, outcomes
.878/.983 (the session's starting tree 46f5541 on it: .791/.793, .782/.827, .878/.983): the classes of
the studied sets moved the unseen one little. blind8's errors were then read as classes too (blind8 measures
.805/.851, mechanisms .793/.850 after). blind9.tsv (468 sentences, committed before any run) is the next
unseen set. After all of it: blind7 .858/.933, .832/.932, .875/.995; on the labels blind7 and blind7_b share
.896/.937, .890/.947, .887/.995; blind8 .814/.859, .793/.850, .883/.983. blind9.tsv (468 sentences,
committed in 1f4f9a6 before any run) was then scored once, its errors not read: measures .749/.713,
mechanisms .788/.740, outcomes .850/.993 (46f5541, the session's start: .741/.705, .775/.715, .850/.993).
It was then studied (2026-12-08), with blind4-8, as pooled evidence rather than one labeller's wording:
for each lexicon entry, how often its firing was a labelled code over all of blind4-11's 3,800 sentences
and eight labellers; entries most of them reject lost the code or gained the context they lacked, and
wordings several of them code were added, each kept only when the pooled count did not fall. blind10.tsv
(489) and blind11.tsv (478; blind11_b.tsv labels its sentences again, independently: the two labellings
agree at P .977 R .981 on measures, .986/.963 on mechanisms, far above the tagger) were committed before
any run; first readings at the session's start tree b6229c0: blind10 measures .785/.805, mechanisms
.786/.811, outcomes .907/.986; blind11 .773/.767, .838/.877, .860/.988. blind12.tsv (478, full-article prose)
and blind13.tsv (475, colloquial, measures told without their category words) were committed before any
run and first scored after all of that rule work (b6229c0 -> then): blind12 measures .763/.734 -> .786/.744,
mechanisms .727/.849 -> .743/.858, outcomes .875/.988 -> .878/.988; blind13 measures .769/.578 ->
.790/.584, mechanisms .819/.586 -> .819/.586, outcomes .773/.925 -> .775/.925 (its missed outcomes were
then read: 一半 as 50 %, N个人 as 个). None of blind4-13 is unseen any more.
Branch recall (2026-12-08) added the compositional rule (a thing told without its category word, acted on
by a verb in its clause: flag ``verb``) and plain wordings of mechanisms, each kept by its pooled effect over
blind4-13 (scripts/pooled_codes.py): pooled measures .832/.805 -> .837/.825, mechanisms .824/.834 -> .827/.855,
outcomes unchanged; blind13 measures .790/.584 -> .818/.683, mechanisms .819/.586 -> .847/.716. The floors
rose where the figures did.
blind14.tsv (498, mixed styles) and blind15.tsv (480, 43 short case reports in article order) were committed
before any run and scored at the session's start (7dc84ef) and after the first merge of the session's rules
(00f453f), errors unread: blind14 measures .886/.727 -> .888/.745, mechanisms .844/.650 -> .837/.658,
outcomes .885/.985 -> .885/.985; blind15 .763/.695 -> .764/.698, .875/.833 -> .876/.843, .847/.988 ->
.847/.988. The rules pooled over blind4-13 moved the two unseen sets by about .01. blind14 and blind15 were
then read as classes with blind4-13 (pooled over blind4-15). blind16.tsv (494, the styles of collected
pages) was committed before any run and held out while they were studied: 7dc84ef -> dcda9f5 (the session's
end) measures .794/.743 -> .796/.752, mechanisms .829/.822 -> .826/.826, outcomes .846/.981 -> .846/.981.
blind16 was then read as classes too (measures .802/.782, mechanisms .829/.840, outcomes .858/.984 after), and
blind17.tsv (403, committed before any run) measured that last round: 7dc84ef -> 4c99f75 (before it) -> the
session's end: measures .815/.724 -> .811/.735 -> .811/.735, mechanisms .812/.773 -> .803/.773 -> .803/.773,
outcomes .913/.988 -> .914/.992 -> .914/.992. None of blind4-17 is unseen any more; the floors are the figures
at the session's end, rounded down.
"""
from __future__ import annotations

import pytest

from agreement import _labels, disputed_outcomes, shared, tagger_scores
from blind_score import score

FLOORS = {
    "blind.tsv": {"measures": (0.9, 0.9), "mechanisms": (0.9, 0.9), "outcomes": (0.95, 0.95)},
    "blind2.tsv": {"measures": (0.9, 0.9), "mechanisms": (0.8, 0.9), "outcomes": (0.95, 0.95)},
    "blind3.tsv": {"measures": (0.93, 0.99), "mechanisms": (0.92, 0.97), "outcomes": (0.98, 0.99)},
    "blind4.tsv": {"measures": (0.89, 0.95), "mechanisms": (0.83, 0.96), "outcomes": (0.93, 0.96)},
    "blind5.tsv": {"measures": (0.81, 0.85), "mechanisms": (0.83, 0.93), "outcomes": (0.89, 0.98)},
    "blind6.tsv": {"measures": (0.81, 0.86), "mechanisms": (0.85, 0.84), "outcomes": (0.82, 0.99)},
    "blind7.tsv": {"measures": (0.90, 0.92), "mechanisms": (0.86, 0.93), "outcomes": (0.89, 0.99)},
    "blind7_b.tsv": {"measures": (0.91, 0.91), "mechanisms": (0.91, 0.95), "outcomes": (0.89, 0.99)},
    "blind8.tsv": {"measures": (0.87, 0.88), "mechanisms": (0.83, 0.88), "outcomes": (0.90, 0.99)},
    "blind9.tsv": {"measures": (0.82, 0.83), "mechanisms": (0.84, 0.80), "outcomes": (0.86, 1.00)},
    "blind10.tsv": {"measures": (0.84, 0.83), "mechanisms": (0.82, 0.86), "outcomes": (0.91, 0.99)},
    "blind11.tsv": {"measures": (0.82, 0.82), "mechanisms": (0.87, 0.92), "outcomes": (0.87, 1.00)},
    "blind12.tsv": {"measures": (0.79, 0.78), "mechanisms": (0.77, 0.90), "outcomes": (0.88, 0.99)},
    "blind13.tsv": {"measures": (0.82, 0.72), "mechanisms": (0.85, 0.73), "outcomes": (0.80, 0.97)},
    "blind14.tsv": {"measures": (0.89, 0.76), "mechanisms": (0.85, 0.72), "outcomes": (0.89, 0.98)},
    "blind15.tsv": {"measures": (0.76, 0.70), "mechanisms": (0.89, 0.88), "outcomes": (0.85, 0.99)},
    "blind16.tsv": {"measures": (0.80, 0.78), "mechanisms": (0.82, 0.84), "outcomes": (0.85, 0.98)},
    "blind17.tsv": {"measures": (0.81, 0.73), "mechanisms": (0.80, 0.77), "outcomes": (0.91, 0.99)},
    "probes_i16c.tsv": {"measures": (0.93, 0.95), "mechanisms": (0.92, 0.92), "outcomes": (0.90, 0.99)},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_blind_set_holds_its_floors(name):
    result = score(name=name)
    for field, (p_floor, r_floor) in FLOORS[name].items():
        tp, fp, fn = result[field]
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        assert precision >= p_floor, f"{name} {field} precision {precision:.3f} < {p_floor}"
        assert recall >= r_floor, f"{name} {field} recall {recall:.3f} < {r_floor}"


# Sets labelled twice, independently, and the floors on the labels both readers share.
SHARED_FLOORS = {
    ("blind7.tsv", "blind7_b.tsv"): {"measures": (0.92, 0.93), "mechanisms": (0.92, 0.95), "outcomes": (0.88, 0.99)},
    ("blind11.tsv", "blind11_b.tsv"): {"measures": (0.84, 0.81), "mechanisms": (0.88, 0.91), "outcomes": (0.88, 0.99)},
}


@pytest.mark.parametrize("pair", sorted(SHARED_FLOORS))
def test_labels_both_readers_share_hold_their_floors(pair):
    a, b = _labels(pair[0]), _labels(pair[1])
    assert [s for s, _, _ in a] == [s for s, _, _ in b]
    result = tagger_scores(shared(a, b), disputed_outcomes(a, b))
    for field, (p_floor, r_floor) in SHARED_FLOORS[pair].items():
        tp, fp, fn = result[field]
        assert tp / (tp + fp) >= p_floor and tp / (tp + fn) >= r_floor, (field, result[field])
