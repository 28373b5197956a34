"""Name forms: the key of a written name and when two forms can be one person."""

from __future__ import annotations

from newspipe.pipeline.sources.names import compatible, display_name, name_key, person_name


def test_name_key_ignores_case_stops_hyphens_articles_and_possessives() -> None:
    assert name_key("U.S.") == name_key("US") == "us"
    assert name_key("Kim Jong-un") == name_key("kim jong un")
    assert name_key("the Harbour Board’s") == name_key("Harbour Board")
    assert display_name("the Harbour Board’s") == "Harbour Board"
    assert name_key("J. R. Smith") == "j r smith"  # initials stay initials beside a name


def test_person_name_drops_honorifics_and_keeps_suffixes() -> None:
    parts = person_name("Mr. Ola B. Berg Jr.")
    assert parts is not None
    assert (parts.first, parts.middles, parts.last, parts.suffix) == ("ola", ("b",), "berg", "jr")
    alone = person_name("Berg")
    assert alone is not None and alone.first is None and not alone.full


def test_compatible_forms_of_one_person() -> None:
    def ok(a: str, b: str) -> bool:
        pa, pb = person_name(a), person_name(b)
        assert pa is not None and pb is not None
        return compatible(pa, pb)

    assert ok("Ola Berg", "Berg")
    assert ok("Ola Berg", "O. Berg")
    assert ok("Ola K. Berg", "Ola Berg")
    assert not ok("Ola Berg", "Ana Berg")  # two different full names
    assert not ok("Ola K. Berg", "Ola T. Berg")  # middle names contradict
    assert not ok("Ola Berg Jr", "Ola Berg Sr")
    assert not ok("Ola Berg", "Ola Lind")
