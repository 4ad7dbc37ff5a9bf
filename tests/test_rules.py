"""The roadmap's rules (lne_data.rules) and how a number typed in a form is read, without Streamlit."""

from __future__ import annotations

import pandas as pd
import pytest

from lne_data import rules
from lne_data.sheets import parse_field_number


@pytest.mark.parametrize("typed, read", [
    ("2,5", 2.5), ("2.5", 2.5), (" 2,5 ", 2.5), ("1 234,5", 1234.5), ("1\u202f234,5", 1234.5), ("2,5 ETP", 2.5),
    ("2,5etp", 2.5), ("3", 3.0), ("0,25", 0.25), (",5", 0.5),
])
def test_a_field_number_is_read_the_french_way(typed, read):
    assert parse_field_number(typed, "ETP") == read


@pytest.mark.parametrize("typed", ["abc", "2,5 %", "2 500 €", "2,5 EUR", "1.234,5", "inf", "nan", "1e400", "2,5 h",
                                   "ETP", ""])
def test_anything_else_is_not_a_number(typed):
    assert parse_field_number(typed, "ETP") is None


def test_a_capacity_far_above_the_commitments_is_doubtful_and_the_lost_comma_is_found():
    assert rules.capacite_douteuse(25, 2.6) and rules.capacite_sans_virgule(25, 2.6) == 2.5
    assert rules.capacite_sans_virgule(250, 2.6) == 2.5
    assert not rules.capacite_douteuse(2.5, 2.6) and not rules.capacite_douteuse(12, 2.6)
    assert not rules.capacite_douteuse(3, 0)  # nothing to compare with: nothing to question


def test_an_indicator_value_and_its_distance_to_the_target_are_written_by_kind():
    assert rules.valeur_indicateur("livrable", None, 0.5) == "en cours"
    assert rules.valeur_indicateur("ratio", "%", 85.0) == "85\u00a0%"
    assert rules.ecart_indicateur("nombre", "foyers", -12.0) == "−12\u00a0foyers"
    assert rules.ecart_indicateur("nombre", "foyers", 3.0) == "+3\u00a0foyers"
    assert rules.ecart_indicateur("ratio", "%", -5.5) == "−5,5\u00a0points"
    assert rules.ecart_indicateur("livrable", None, -0.5) == "—"  # a state has no distance to count
    assert rules.ecart_indicateur("nombre", "foyers", float("nan")) == "—"


def test_indicators_reported_are_counted_over_those_expected_per_fiche_or_per_axe():
    indicateurs = pd.DataFrame({"code": ["F01-I1", "F01-I2", "F02-I1"], "fiche": [1, 1, 2]})
    # An entry of an indicator outside the view (F09-I1) is not one of the view's reported.
    per_fiche = rules.renseignes(indicateurs, ["F01-I2", "F09-I1"])
    assert per_fiche.to_dict("index") == {1: {"saisis": 1, "attendus": 2}, 2: {"saisis": 0, "attendus": 1}}
    per_axe = rules.renseignes(indicateurs, ["F01-I2", "F02-I1"], par=indicateurs["fiche"].map({1: 1, 2: 1}))
    assert per_axe.to_dict("index") == {1: {"saisis": 2, "attendus": 3}}


def test_a_resource_line_without_an_amount_is_non_chiffree_never_zero():
    assert rules.chiffree(True, 0.0) and not rules.chiffree(True, float("nan")) and not rules.chiffree(False, 2.0)
    assert rules.METEOS == ("ensoleillé", "éclaircies", "nuageux", "orageux")
