from __future__ import annotations


def test_approximators_go_inside_numbers(blank, correct) -> None:
    doc = blank("About 80 people, at least 107 boats, more than 20 percent and 107 or more cars.")
    ents = [("80", "CARDINAL"), ("least 107", "CARDINAL"), ("20 percent", "PERCENT")]
    ents.append(("107", "CARDINAL"))
    assert [t for t, _ in correct(doc, ents, ["numbers"])] == [
        "About 80", "at least 107", "more than 20 percent", "107 or more"
    ]  # fmt: skip


def test_approximators_and_dates(blank, correct) -> None:
    doc = blank("It took nearly two decades, not below 2005 levels.")
    ents = [("two decades", "DATE"), ("2005", "DATE")]
    assert correct(doc, ents, ["numbers"]) == [("nearly two decades", "DATE"), ("2005", "DATE")]


def test_alternatives_and_periods_are_one_entity(blank, correct) -> None:
    doc = blank("They scored two or three goals from 2004 to 2009, up from 9 to 10.")
    ents = [("two", "CARDINAL"), ("three", "CARDINAL"), ("2004", "DATE")]
    ents += [("9", "CARDINAL"), ("10", "CARDINAL")]
    assert correct(doc, ents, ["numbers"]) == [
        ("two or three", "CARDINAL"), ("2004 to 2009", "DATE"),
        ("9", "CARDINAL"), ("10", "CARDINAL"),  # a change "from 9 to 10" is two numbers
    ]  # fmt: skip


def test_a_score_is_two_numbers(blank, correct) -> None:
    doc = blank("Group B — Norway 2 – 1 Chile")
    found = correct(doc, [("Norway 2", "ORG"), ("1 Chile", "WORK_OF_ART")], ["numbers"])
    assert found == [
        ("Norway", "ORG"),
        ("2", "CARDINAL"),
        ("1", "CARDINAL"),
        ("Chile", "WORK_OF_ART"),
    ]


def test_ranks_fractions_and_clock_times(blank, correct) -> None:
    doc = blank("It is the #2 site, number 3 in a list, with a third of users at 15:11 GMT.")
    ents = [("2", "MONEY"), ("3", "CARDINAL"), ("third", "ORDINAL"), ("15:11", "CARDINAL")]
    assert correct(doc, ents, ["numbers"]) == [
        ("#2", "ORDINAL"), ("number 3", "ORDINAL"), ("a third", "CARDINAL"), ("15:11 GMT", "TIME")
    ]  # fmt: skip


def test_the_numeral_one(parsed, correct) -> None:
    doc = parsed("It is one of the oldest, and one day one side won the old one.", {"side": "NOUN"})
    assert correct(doc, [], ["numbers"]) == [
        ("one", "CARDINAL"), ("one day", "DATE"), ("one", "CARDINAL")
    ]  # fmt: skip


def test_currency_before_or_after_makes_money(blank, correct) -> None:
    doc = blank("Bail was US$ 35,000, a fee $ 200, a grant NZ $ 14 million and 40 million kroner.")
    ents = [("35,000", "MONEY"), ("200", "MONEY"), ("$ 14 million", "MONEY")]
    ents.append(("40 million", "CARDINAL"))
    assert correct(doc, ents, ["money"]) == [
        ("US$ 35,000", "MONEY"), ("$ 200", "MONEY"), ("NZ $ 14 million", "MONEY"),
        ("40 million kroner", "MONEY"),
    ]  # fmt: skip


def test_money_with_an_approximator_and_percent_words(blank, correct) -> None:
    doc = blank("They owe over 310,000 euros; only 10 per cent paid.")
    ents = [("over 310,000", "CARDINAL"), ("10 per cent", "MONEY")]
    found = correct(doc, ents, ["money"])
    assert found == [("over 310,000 euros", "MONEY"), ("10 per cent", "PERCENT")]


def test_a_word_that_is_also_a_currency_needs_money_already(blank, correct) -> None:
    doc = blank("The team of 11 won easily.")
    assert correct(doc, [("11", "CARDINAL")], ["money"]) == [("11", "CARDINAL")]


def test_a_day_and_its_part_are_one_date(blank, correct) -> None:
    doc = blank("It happened on Thursday night and yesterday afternoon.")
    ents = [("night", "TIME"), ("yesterday", "DATE"), ("afternoon", "TIME")]
    assert correct(doc, ents, ["dates"]) == [
        ("Thursday night", "DATE"), ("yesterday afternoon", "DATE")
    ]  # fmt: skip


def test_match_minutes_are_ordinals(blank, correct) -> None:
    doc = blank("In the 20th minute and the first half they led.")
    ents = [("the 20th minute", "TIME"), ("the first half", "DATE")]
    assert correct(doc, ents, ["dates"]) == [("20th", "ORDINAL"), ("first", "ORDINAL")]


def test_date_lines_and_frequencies(blank, correct) -> None:
    doc = blank("Thursday, May 7, 2015\nThe annual fair runs through March 11 this year.")
    ents = [("Thursday", "DATE"), ("May 7, 2015", "DATE"), ("March 11", "DATE")]
    ents.append(("this year", "DATE"))
    assert correct(doc, ents, ["dates"]) == [
        ("Thursday, May 7, 2015", "DATE"), ("annual", "DATE"), ("March 11 this year", "DATE")
    ]  # fmt: skip


def test_guards_found_on_unseen_news(blank, correct) -> None:
    doc = blank("It costs $3bn over 10 years, less than a third, for a 13-year-old last week.")
    ents = [("10 years", "DATE"), ("less than a third", "CARDINAL"), ("13-year-old", "DATE")]
    ents.append(("last week", "DATE"))
    assert correct(doc, ents, ["numbers", "dates"]) == ents  # nothing to change
