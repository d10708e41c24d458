"""A set of statuses is declared once, each value with its words (app/core/base.Statuses)."""
import importlib

import pytest

from app.core.base import Statuses

MODULES = ("app.core.models", "app.core.access_log", "app.analytics.models", "app.conversation.models",
           "app.interview.models", "app.notifications.models", "app.privacy.models", "app.process.models",
           "app.screening.models")


def test_constants_and_values_come_from_the_labels_in_order():
    class Colour(Statuses):
        LABELS = {"red": "红", "in_stock": "有货"}
        WARM = ("red",)

    assert (Colour.RED, Colour.IN_STOCK) == ("red", "in_stock")
    assert Colour.VALUES == ("red", "in_stock")
    assert Colour.WARM == ("red",)


def test_a_group_naming_an_undeclared_value_fails_at_import():
    with pytest.raises(TypeError, match=r"Colour.DONE names undeclared values: \['finished'\]"):
        class Colour(Statuses):
            LABELS = {"red": "红"}
            DONE = ("red", "finished")


def test_a_second_label_table_naming_an_undeclared_value_fails_too():
    with pytest.raises(TypeError, match="CANDIDATE_LABELS"):
        class Colour(Statuses):
            LABELS = {"red": "红"}
            CANDIDATE_LABELS = {"blue": "蓝"}


def test_a_constant_written_again_in_the_body_is_refused():
    with pytest.raises(TypeError, match="Colour.RED is declared by LABELS"):
        class Colour(Statuses):
            LABELS = {"red": "红"}
            RED = "rouge"


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_status_set_of_the_app_has_words_for_each_value():
    for name in MODULES:
        importlib.import_module(name)
    sets = [cls for cls in _all_subclasses(Statuses) if cls.__module__.startswith("app.")]
    assert len(sets) >= 20
    for cls in sets:
        assert cls.VALUES and all(isinstance(cls.LABELS[value], str) and cls.LABELS[value] for value in cls.VALUES)
