"""Every public function, class and method documents itself with an Examples section.

The examples themselves run under ``pytest --doctest-modules`` (see pyproject.toml).
"""

import importlib
import inspect
from functools import cached_property

import pytest

import ism_health

MODULES = ["ism_health"] + [
    f"ism_health.{name}"
    for name in (
        "ssim", "io", "reachability", "levels", "adversarial", "micmac", "digraph", "result", "experts",
        "experts.panel", "experts.aggregate", "experts.agreement", "experts.questionnaire", "experts.simulate",
        "experts.elicitation", "experts.robustness", "experts.sensitivity", "robustness_plots",
        "diagnostics", "plotting", "export", "report", "benchmark", "datasets", "cli", "exceptions", "tables", "bundle",
        "_files", "_method_outputs", "cli_elicit", "cli_robustness", "micmac.fuzzy", "micmac.godet", "dematel", "tism", "audit",
        "datasets.published", "cli_fuzzy_micmac", "cli_godet", "cli_dematel", "cli_tism", "cli_audit",
        "experts.forms", "experts.texts", "experts.delphi", "experts.study", "cli_questionnaire", "cli_panel",
        "cli_feedback",
        "interactive", "word", "_labelsets",
    )
]


def _public_callables():
    seen = {}
    for modname in MODULES:
        module = importlib.import_module(modname)
        assert hasattr(module, "__all__"), f"{modname} declares no __all__"
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                seen.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
            if inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    if attr.startswith("_") or isinstance(value, (property, cached_property)):
                        continue
                    func = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
                    if inspect.isfunction(func):
                        seen.setdefault(f"{obj.__module__}.{obj.__qualname__}.{attr}", func)
    return sorted(seen.items())


@pytest.mark.parametrize("qualname, obj", _public_callables(), ids=lambda x: x if isinstance(x, str) else "")
def test_has_examples(qualname, obj):
    doc = inspect.getdoc(obj) or ""
    assert "Examples\n--------" in doc and ">>> " in doc, f"{qualname} has no runnable Examples section"


def test_top_level_api_is_complete():
    for name in ism_health.__all__:
        assert hasattr(ism_health, name), name
