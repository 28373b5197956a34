"""Stance of each quote toward a target: FAVOR, AGAINST or NONE.

``newspipe_stance_rules_v1`` first decides whether a quote is about the target at all (the
target's content words, matched against the quote and its sentence), then reads the stance
from the cue's polarity and, failing that, from the sentiment of the content.

The target of a document is ``doc._.target`` when set (from the input record), else the
component's ``target`` setting. With no target, every quote gets ``None`` (not scored).
"""

from newspipe.pipeline.stages.stance.model import ModelStance, make_model_stance
from newspipe.pipeline.stages.stance.rules import RuleStance, make_rule_stance

__all__ = ["ModelStance", "RuleStance", "make_model_stance", "make_rule_stance"]
