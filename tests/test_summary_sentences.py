"""The first sentence of an item's body, quoted in the report (pure)."""

import pytest

from dialogue.report_text import first_sentence


@pytest.mark.parametrize(
    ("body", "sentence"),
    [
        ("Open a hotline. Then talk.", "Open a hotline."),
        (
            "The U.S. should cut tariffs by 3.5 percent. Then more.",
            "The U.S. should cut tariffs by 3.5 percent.",
        ),
        ("Dr. Li and J. Smith agree. Next.", "Dr. Li and J. Smith agree."),
        (
            "Both sides (e.g. the envoys) agree! Next.",
            "Both sides (e.g. the envoys) agree!",
        ),
        ("Why not? Because.", "Why not?"),
        ("中国应当减少关税。美国应当回应。", "中国应当减少关税。"),
        ("双方应建立热线！然后再谈。", "双方应建立热线！"),
        ("“引号里的句子。”后面", "“引号里的句子。”"),
        ("A line\nwrapped here. Next.", "A line wrapped here."),
        ("No end at all", "No end at all"),
        ("First paragraph\n\nSecond. Para.", "First paragraph"),
        ("", ""),
    ],
)
def test_first_sentence(body, sentence):
    assert first_sentence(body) == sentence
