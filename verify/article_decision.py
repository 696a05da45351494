"""Is the article, as a whole, consistent with the references? A decision over its claims.

Per claim, verify says SUPPORTED, REFUTED or NOT ENOUGH INFO. Whether a whole article (a
summary, a report) is faithful to its references is a question of its own: FRANK's human
labels answer it for news summaries, and "every claim SUPPORTED" answers it badly with a
small NLI model (one weak claim condemns the article; a claim the model half-supports
counts as much as one it fully supports).

:class:`ArticleDecision` is a logistic regression over :func:`article_features`: a few
named values of each claim's verdict (its label probabilities, how much of its words,
names and numbers the evidence covers, how well the best sentence aligns), each pooled
over the article as its minimum, mean and maximum. An article with a REFUTED claim is
never judged consistent, whatever the regression says: on FRANK most REFUTED verdicts are
the small model's false alarms, so the regression learnt to discount them, but a
fact-checker who sees a claim refuted must not be told the article is fine. It is fitted
on FRANK dev by
``bench/frank.py --write`` (and measured there with cross-validation grouped by article,
never on the fold it scores) and shipped as JSON per NLI model. Its probability is
calibrated on FRANK's mix of CNN/DailyMail and BBC summaries; the threshold is the one that
balanced both kinds of error there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import VerifyError
from .types import Label
from .verdict import decision_path, read_decision_file

# The values of one claim the decision sees: its verdict's probabilities and the verdict
# features (verify.verdict.FEATURES) of coverage and alignment.
CLAIM_VALUES = ("p_supported", "p_refuted", "p_not_enough_info", "coverage",
                "names_covered", "numbers_covered", "alignment_max")
POOLS = ("min", "mean", "max")
FEATURES = tuple(f"{pool}_{value}" for value in CLAIM_VALUES for pool in POOLS)


def claim_values(probabilities: Mapping[str, float], features: Mapping[str, float]
                 ) -> dict[str, float]:
    """:data:`CLAIM_VALUES` of one claim, from its verdict's probabilities and features."""
    return {"p_supported": float(probabilities.get(Label.SUPPORTED.value, 0.0)),
            "p_refuted": float(probabilities.get(Label.REFUTED.value, 0.0)),
            "p_not_enough_info": float(probabilities.get(Label.NOT_ENOUGH_INFO.value, 0.0)),
            **{name: float(features.get(name, 0.0)) for name in CLAIM_VALUES[3:]}}


# One checked claim as the article decision sees it: (verdict label, the verdict's
# probabilities, its features), as in a Verdict or an eval prediction record.
ClaimRecord = tuple[str, Mapping[str, float], Mapping[str, float]]


def article_features(claims: Sequence[ClaimRecord]) -> dict[str, float]:
    """Each claim value pooled over the article ("min_p_supported", ...), one
    :data:`ClaimRecord` per checked claim. Raises ValueError without claims: an article
    with nothing checked has no such decision."""
    if not claims:
        raise ValueError("an article decision needs at least one checked claim")
    rows = [claim_values(probabilities, features) for _, probabilities, features in claims]
    pooled = {}
    for value in CLAIM_VALUES:
        column = [row[value] for row in rows]
        pooled[f"min_{value}"] = min(column)
        pooled[f"mean_{value}"] = sum(column) / len(column)
        pooled[f"max_{value}"] = max(column)
    return pooled


@dataclass(frozen=True)
class ArticleDecision:
    """A fitted binary logistic regression from :data:`FEATURES` to P(consistent).

    Stored as JSON (no pickle): ``{"features": [...], "mean": [...], "scale": [...],
    "coef": [...], "intercept": x, "threshold": t, ...}``; any other keys (how it was
    fitted, its cross-validated figures) are kept in ``info``.
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    info: Mapping[str, object] = field(default_factory=dict)

    _KEYS = ("features", "mean", "scale", "coef", "intercept", "threshold")

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ArticleDecision:
        try:
            model = cls(tuple(data["features"]), tuple(map(float, data["mean"])),
                        tuple(map(float, data["scale"])), tuple(map(float, data["coef"])),
                        float(data["intercept"]), float(data["threshold"]),
                        {k: v for k, v in data.items() if k not in cls._KEYS})
        except (KeyError, TypeError, ValueError) as exc:
            raise VerifyError(f"An article decision file lacks or garbles {exc}; refit it "
                              "with bench/frank.py --write.") from None
        n = len(model.features)
        if not n or len(model.mean) != n or len(model.scale) != n or len(model.coef) != n \
                or any(s <= 0 for s in model.scale) or not 0 < model.threshold < 1:
            raise VerifyError("An article decision file is inconsistent (shapes, scales or "
                              "threshold); refit it with bench/frank.py --write.")
        unknown = sorted(set(model.features) - set(FEATURES))
        if unknown:
            raise VerifyError(f"An article decision file uses features this verify does not "
                              f"compute ({', '.join(unknown)}); refit it with "
                              "bench/frank.py --write.")
        return model

    @classmethod
    def load(cls, path: str | Path) -> ArticleDecision:
        return cls.from_dict(read_decision_file(path, "article decision"))

    def to_dict(self) -> dict[str, object]:
        return {"features": list(self.features), "mean": list(self.mean),
                "scale": list(self.scale), "coef": list(self.coef),
                "intercept": self.intercept, "threshold": self.threshold, **dict(self.info)}

    def contributions(self, features: Mapping[str, float]) -> dict[str, float]:
        """Each feature's term in the logit: what pushed the judgement which way."""
        return {name: w * (float(features[name]) - m) / s
                for name, w, m, s in zip(self.features, self.coef, self.mean, self.scale)}

    def probability(self, features: Mapping[str, float]) -> float:
        """P(the article is consistent with its references) from :func:`article_features`."""
        logit = self.intercept + sum(self.contributions(features).values())
        if logit >= 0:
            return 1 / (1 + math.exp(-logit))
        return math.exp(logit) / (1 + math.exp(logit))

    def judge(self, claims: Sequence[ClaimRecord]) -> dict[str, object] | None:
        """The article's judgement (JSON-ready), or None when no claim was checked:
        ``consistent`` (no REFUTED claim and ``probability`` >= ``threshold``), the
        regression's ``probability``, the number of ``refuted_claims`` and which claim is
        the ``least_supported`` (its index in ``claims``)."""
        if not claims:
            return None
        probability = self.probability(article_features(claims))
        refuted = sum(label == Label.REFUTED.value for label, _, _ in claims)
        least = min(range(len(claims)),
                    key=lambda i: claims[i][1].get(Label.SUPPORTED.value, 0.0))
        return {"consistent": refuted == 0 and probability >= self.threshold,
                "probability": round(probability, 4), "threshold": round(self.threshold, 4),
                "refuted_claims": refuted, "least_supported": least,
                "fitted_on": self.info.get("fitted_on", "unknown")}


def describe(judgement: Mapping[str, object], least_supported: str | None = None) -> str:
    """One sentence for people: "As a whole, the article is consistent with the references
    (probability 0.81, needs 0.48; least supported claim: "..."; decision fitted on ...)."
    or, with a REFUTED claim, "... is not consistent with the references: 2 of its claims
    are refuted."."""
    refuted = int(judgement.get("refuted_claims") or 0)
    if refuted:
        return ("As a whole, the article is not consistent with the references: "
                + ("1 of its claims is refuted." if refuted == 1
                   else f"{refuted} of its claims are refuted."))
    verdict = "consistent" if judgement["consistent"] else "not consistent"
    least = f"; least supported claim: \"{least_supported}\"" if least_supported else ""
    return (f"As a whole, the article is {verdict} with the references (probability "
            f"{judgement['probability']:.2f}, needs {judgement['threshold']:.2f}{least}; "
            f"decision fitted on {judgement['fitted_on']}).")


def article_decision_path(model_name: str) -> Path:
    """Where the article decision of an NLI model is shipped, beside its claim decision."""
    return decision_path(model_name, "article")


def load_article_decision(model_name: str) -> ArticleDecision | None:
    """The article decision shipped for ``model_name``, or None (no article judgement)."""
    path = article_decision_path(model_name)
    return ArticleDecision.load(path) if path.is_file() else None
