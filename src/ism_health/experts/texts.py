"""The texts of the questionnaire forms, in English and German, replaceable through a mapping.

:func:`form_texts` returns every text a form, a round-two (feedback) form and
the facilitator's note use, for a language in :data:`LANGUAGES`, with any
entries of ``texts`` put in their place. Placeholders in braces (``{relation}``,
``{a!r}``, ...) are filled by the writer. The answer letters V, A, X and O are
the same in every language (they are what the reader reads); the yes/no words
of a yes/no form are those of its language, recorded in the form.

Examples
--------
>>> from ism_health.experts.texts import LANGUAGES, form_texts
>>> sorted(LANGUAGES)
['de', 'en']
>>> form_texts("de")["h_first"], form_texts("en", {"h_first": "Factor A"})["h_first"]
('Erster Faktor', 'Factor A')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .._validation import check_choice
from ..exceptions import ISMInputError

__all__ = ["LANGUAGES", "form_texts"]

_EN: dict[str, str] = {
    "title": "ISM expert questionnaire",
    "relation": "influences",
    "sheet_instructions": "Instructions",
    "sheet_questions": "Questions",
    "sheet_matrix": "Matrix",
    "sheet_factors": "Factors",
    "intro": "For each pair of factors, say whether one {relation} the other.",
    "asked": "The relation asked about: the first factor {relation} the second factor.",
    "symbols_head": "Answer with one letter (choose it from the dropdown):",
    "V": "V  = the first factor {relation} the second (first -> second)",
    "A": "A  = the second factor {relation} the first (second -> first)",
    "X": "X  = both: each {relation} the other (first <-> second)",
    "O": "O  = neither {relation} the other (no relation)",
    "example": "Example: if {a!r} {relation} {b!r} but not the other way round, answer V.",
    "yes_no_head": "Each pair has two questions; answer each with yes or no (choose it from the dropdown):",
    "q1_line": "Question 1: the first factor {relation} the second (first -> second): yes or no?",
    "q2_line": "Question 2: the second factor {relation} the first (second -> first): yes or no?",
    "matrix_line": "In the sheet {sheet!r}, each cell above the grey diagonal compares the factor of its ROW (the "
    "first factor) with the factor of its COLUMN (the second factor).",
    "steps": "Steps:",
    "step1": "1. Enter your expert ID in cell {cell} of the sheet {sheet!r}.",
    "step2": "2. Answer every question; none may be left blank. The sheet {factors_sheet!r} describes each factor.",
    "step3": "3. Optionally explain an answer in the Comment column.",
    "final": "Then save the file and return it. Do not rename the factors or the sheets.",
    "expert_id": "Expert ID",
    "pairs_note": "See the sheet {instructions_sheet!r}. Answer every row.",
    "matrix_note": "Row factor (A) versus column factor (B), above the diagonal. See {instructions_sheet!r}.",
    "h_no": "No.",
    "h_code1": "Code 1",
    "h_first": "First factor",
    "h_code2": "Code 2",
    "h_second": "Second factor",
    "h_question": "Question",
    "h_answer": "Answer (V/A/X/O)",
    "h_question1": "Question 1",
    "h_answer1": "Answer 1 (yes/no)",
    "h_question2": "Question 2",
    "h_answer2": "Answer 2 (yes/no)",
    "h_comment": "Comment",
    "sheet_interpretations": "Interpretations",
    "interp_head": "Interpretations (TISM):",
    "interp_pairs": "For every link you answer (V: first -> second; A: second -> first; X: both; or each 'yes'), "
    "write in the interpretation column of that direction how or why the one factor {relation} the other. Leave it "
    "blank where the answer is no link.",
    "interp_matrix": "In the sheet {interp_sheet!r}, for every link you answer in {sheet!r}, write in the cell of "
    "the ROW factor and the COLUMN factor how or why the row factor {relation} the column factor. Leave it blank "
    "where there is no link.",
    "interp_note": "If the ROW factor {relation} the COLUMN factor (your answer in {sheet!r}): how or why? "
    "Leave blank where there is no link.",
    "h_interp1": "If first -> second: how / why?",
    "h_interp2": "If second -> first: how / why?",
    "question": "{a!r} vs {b!r}: V (first {relation} second), A (second {relation} first), X (both) or O (neither)?",
    "question_yes_no": "{a!r} {relation} {b!r}: yes or no?",
    "yes": "yes",
    "no": "no",
    "choose_symbol": "Choose V, A, X or O.",
    "choose_yes_no": "Choose yes or no.",
    "invalid_title": "Invalid answer",
    "f_code": "code",
    "f_label": "label",
    "f_description": "description",
    "round2_title": "ISM expert questionnaire, round 2",
    "round2_intro": "This is the second round. For each pair you see how the panel answered in round 1 and your own "
    "round-1 answer, already filled in as your answer.",
    "round2_keep": "Keep your answer, or change it where the panel's answers make you revise your judgment. "
    "A short comment on a change helps.",
    "h_panel": "Panel answers, round 1",
    "h_decision": "Panel decision, round 1",
    "h_yours": "Your answer, round 1",
    "facilitator": """ISM questionnaire: notes for the facilitator

This folder holds one form per expert ({n_experts} experts; {n_factors} factors, {n_pairs} pairs each):
{files}
Each form has the expert's ID filled in (cell {cell} of the sheet {sheet!r}){shuffled}.

1. Send each expert their own file. Experts need only Excel or LibreOffice Calc; they answer from the dropdowns.
2. Collect the filled forms in one folder, saved as .xlsx (not .xls or .ods), under their file names.
3. Then run:   ism-health panel FOLDER -o results/
   With --missing drop-pair a pair an expert left blank is decided by those who answered it;
   with --missing drop-expert an expert who left pairs blank is left out. Both are reported.
Do not edit the hidden sheet 'ism_meta': it records the factor list, so that a form made for
another factor list is refused when the forms are read.
""",
    "shuffled": " and the pairs in an order shuffled for that expert",
}

_DE: dict[str, str] = {
    "title": "ISM-Expertenfragebogen",
    "relation": "beeinflusst",
    "sheet_instructions": "Anleitung",
    "sheet_questions": "Fragen",
    "sheet_matrix": "Matrix",
    "sheet_factors": "Faktoren",
    "intro": "Geben Sie für jedes Paar von Faktoren an, ob der eine Faktor den anderen {relation}.",
    "asked": "Gefragt ist nach der Beziehung: Der erste Faktor {relation} den zweiten Faktor.",
    "symbols_head": "Antworten Sie mit einem Buchstaben (wählen Sie ihn aus der Auswahlliste):",
    "V": "V  = der erste Faktor {relation} den zweiten (erster -> zweiter)",
    "A": "A  = der zweite Faktor {relation} den ersten (zweiter -> erster)",
    "X": "X  = beide: jeder {relation} den anderen (erster <-> zweiter)",
    "O": "O  = keiner {relation} den anderen (keine Beziehung)",
    "example": "Beispiel: Wenn {a!r} {b!r} {relation}, aber nicht umgekehrt, antworten Sie V.",
    "yes_no_head": "Zu jedem Paar gibt es zwei Fragen; beantworten Sie jede mit ja oder nein (wählen Sie aus der "
    "Auswahlliste):",
    "q1_line": "Frage 1: Der erste Faktor {relation} den zweiten (erster -> zweiter): ja oder nein?",
    "q2_line": "Frage 2: Der zweite Faktor {relation} den ersten (zweiter -> erster): ja oder nein?",
    "matrix_line": "Im Blatt {sheet!r} vergleicht jede Zelle oberhalb der grauen Diagonale den Faktor ihrer ZEILE "
    "(den ersten Faktor) mit dem Faktor ihrer SPALTE (dem zweiten Faktor).",
    "steps": "Schritte:",
    "step1": "1. Tragen Sie Ihre Experten-ID in Zelle {cell} des Blatts {sheet!r} ein.",
    "step2": "2. Beantworten Sie jede Frage; keine darf leer bleiben. Das Blatt {factors_sheet!r} beschreibt jeden "
    "Faktor.",
    "step3": "3. Begründen Sie eine Antwort bei Bedarf in der Spalte „Kommentar“.",
    "final": "Speichern Sie dann die Datei und senden Sie sie zurück. Benennen Sie weder die Faktoren noch die "
    "Blätter um.",
    "expert_id": "Experten-ID",
    "pairs_note": "Siehe Blatt {instructions_sheet!r}. Beantworten Sie jede Zeile.",
    "matrix_note": "Zeilenfaktor (A) gegenüber Spaltenfaktor (B), oberhalb der Diagonale. Siehe Blatt "
    "{instructions_sheet!r}.",
    "h_no": "Nr.",
    "h_code1": "Code 1",
    "h_first": "Erster Faktor",
    "h_code2": "Code 2",
    "h_second": "Zweiter Faktor",
    "h_question": "Frage",
    "h_answer": "Antwort (V/A/X/O)",
    "h_question1": "Frage 1",
    "h_answer1": "Antwort 1 (ja/nein)",
    "h_question2": "Frage 2",
    "h_answer2": "Antwort 2 (ja/nein)",
    "h_comment": "Kommentar",
    "sheet_interpretations": "Interpretationen",
    "interp_head": "Interpretationen (TISM):",
    "interp_pairs": "Schreiben Sie zu jeder Beziehung, die Sie angeben (V: erster -> zweiter; A: zweiter -> erster; "
    "X: beide; oder jedes „ja“), in die Interpretationsspalte dieser Richtung, wie oder warum der eine Faktor den "
    "anderen {relation}. Lassen Sie sie leer, wo keine Beziehung besteht.",
    "interp_matrix": "Schreiben Sie im Blatt {interp_sheet!r} zu jeder Beziehung, die Sie im Blatt {sheet!r} angeben, "
    "in die Zelle von ZEILEN- und SPALTENFAKTOR, wie oder warum der Zeilenfaktor den Spaltenfaktor {relation}. "
    "Lassen Sie sie leer, wo keine Beziehung besteht.",
    "interp_note": "Falls der ZEILENFAKTOR den SPALTENFAKTOR {relation} (Ihre Antwort im Blatt {sheet!r}): wie oder "
    "warum? Leer lassen, wo keine Beziehung besteht.",
    "h_interp1": "Falls erster -> zweiter: wie / warum?",
    "h_interp2": "Falls zweiter -> erster: wie / warum?",
    "question": "{a!r} und {b!r}: V (der erste {relation} den zweiten), A (der zweite {relation} den ersten), "
    "X (beide) oder O (keiner)?",
    "question_yes_no": "{a!r} {relation} {b!r}: ja oder nein?",
    "yes": "ja",
    "no": "nein",
    "choose_symbol": "Wählen Sie V, A, X oder O.",
    "choose_yes_no": "Wählen Sie ja oder nein.",
    "invalid_title": "Ungültige Antwort",
    "f_code": "Code",
    "f_label": "Bezeichnung",
    "f_description": "Beschreibung",
    "round2_title": "ISM-Expertenfragebogen, zweite Runde",
    "round2_intro": "Dies ist die zweite Runde. Zu jedem Paar sehen Sie, wie das Panel in der ersten Runde "
    "geantwortet hat, und Ihre eigene Antwort aus der ersten Runde, die bereits als Ihre Antwort eingetragen ist.",
    "round2_keep": "Behalten Sie Ihre Antwort bei, oder ändern Sie sie, wenn die Antworten des Panels Sie zu einem "
    "anderen Urteil bringen. Ein kurzer Kommentar zu einer Änderung hilft.",
    "h_panel": "Antworten des Panels, Runde 1",
    "h_decision": "Entscheidung des Panels, Runde 1",
    "h_yours": "Ihre Antwort, Runde 1",
    "facilitator": """ISM-Fragebogen: Hinweise für die Moderation

Dieser Ordner enthält einen Fragebogen je Experte ({n_experts} Experten; je {n_factors} Faktoren, {n_pairs} Paare):
{files}
In jedem Fragebogen ist die Experten-ID bereits eingetragen (Zelle {cell} des Blatts {sheet!r}){shuffled}.

1. Senden Sie jedem Experten seine eigene Datei. Die Experten brauchen nur Excel oder LibreOffice Calc; sie
   antworten über die Auswahllisten.
2. Sammeln Sie die ausgefüllten Fragebögen in einem Ordner, gespeichert als .xlsx (nicht .xls oder .ods),
   unter ihren Dateinamen.
3. Führen Sie dann aus:   ism-health panel ORDNER -o ergebnisse/
   Mit --missing drop-pair wird ein Paar, das ein Experte leer gelassen hat, von denen entschieden, die es
   beantwortet haben; mit --missing drop-expert bleibt ein Experte, der Paare leer gelassen hat, außen vor.
   Beides wird ausgewiesen.
Bearbeiten Sie nicht das ausgeblendete Blatt 'ism_meta': Es enthält die Faktorenliste, damit ein Fragebogen
für eine andere Faktorenliste beim Einlesen zurückgewiesen wird.
""",
    "shuffled": ", die Paare in einer für diesen Experten gemischten Reihenfolge",
}

#: The built-in languages of the form texts (language code -> texts).
LANGUAGES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"en": MappingProxyType(_EN), "de": MappingProxyType(_DE)}
)


def form_texts(language: str = "en", texts: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every text of a form in ``language``, with the entries of ``texts`` in their place.

    Parameters
    ----------
    language : {"en", "de"}
        A built-in language (:data:`LANGUAGES`).
    texts : mapping str -> str, optional
        Replacements for some entries (keys as in ``LANGUAGES["en"]``); an
        unknown key is an error (a typo would otherwise be ignored).

    Returns
    -------
    dict
        A new dict (changing it changes nothing here).

    Examples
    --------
    >>> from ism_health.experts.texts import form_texts
    >>> t = form_texts("de")
    >>> t["V"].format(relation=t["relation"])
    'V  = der erste Faktor beeinflusst den zweiten (erster -> zweiter)'
    """
    check_choice("language", language, tuple(LANGUAGES))
    out = dict(LANGUAGES[language])
    if texts is not None:
        if not isinstance(texts, Mapping):
            raise ISMInputError(f"texts must be a mapping of text names to texts; got {type(texts).__name__}.")
        unknown = sorted(str(k) for k in texts if k not in out)
        if unknown:
            raise ISMInputError(f"texts name unknown entries {unknown}; expected some of {sorted(out)}.")
        bad = sorted(str(k) for k, v in texts.items() if not isinstance(v, str) or not v.strip())
        if bad:
            raise ISMInputError(f"texts {bad} are blank or not text; expected a non-empty string for each.")
        out.update(texts)
    return out
