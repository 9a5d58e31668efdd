"""The stance component: features, the FNC score, training, prediction and the saved model."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from newsdossier.stance import FEATURE_NAMES, STANCES, Pair, Stance, StanceModel, fnc_score, pair_features

DATA = Path(__file__).resolve().parents[1] / "src" / "newsdossier" / "data"

CLAIMS = [
    ("The mayor of Springfield resigned after the bribery scandal", "mayor", "Springfield", "bribery"),
    ("A shark was found swimming in the flooded subway station", "shark", "subway", "flood"),
    ("The central bank raised interest rates to 7 percent", "bank", "rates", "percent"),
    ("Engineers discovered a crack in the dam above the valley", "crack", "dam", "valley"),
    ("The football club signed the striker for 90 million euros", "striker", "club", "euros"),
    ("A rare comet will be visible from the northern hemisphere", "comet", "hemisphere", "northern"),
]
OTHER = [
    "Farmers in the region expect a good harvest of wheat and barley this summer after steady rain.",
    "The orchestra announced its new season with three symphonies and a choir festival in the autumn.",
    "Local schools will open a new library wing funded by parents and a small charity grant.",
]


def body(claim: str, stance: Stance, rng: random.Random) -> str:
    filler = rng.choice(OTHER)
    if stance == "agree":
        lead = f"Officials confirmed it: {claim.lower()}. The news was verified by several witnesses and video."
    elif stance == "disagree":
        lead = (f"Reports that {claim.lower()} are false. Officials denied the story and called it a hoax; "
                f"the claim was debunked as fake.")
    elif stance == "discuss":
        lead = (f"It was reportedly claimed that {claim.lower()}, according to unverified sources. "
                f"It is unclear whether this may be true, and officials could not say.")
    else:
        return f"{filler} {rng.choice(OTHER)}"
    return f"{lead} {filler}"


def synthetic(n_per_claim: int, seed: int) -> tuple[list[Pair], list[Stance]]:
    rng = random.Random(seed)
    pairs: list[Pair] = []
    labels: list[Stance] = []
    for claim, *_ in CLAIMS:
        for _ in range(n_per_claim):
            for stance in STANCES:
                pairs.append((claim, body(claim, stance, rng) + f" Item {rng.randint(0, 10**6)}."))
                labels.append(stance)
    return pairs, labels


@pytest.fixture(scope="module")
def trained() -> StanceModel:
    pairs, labels = synthetic(4, seed=1)
    return StanceModel(iterations=20).fit(pairs, labels)


def test_fnc_score() -> None:
    gold = ["agree", "unrelated", "discuss", "disagree"]
    assert fnc_score(gold, gold) == 1.0
    # best: 1 for each related pair, 0.25 for the unrelated one; a wrong related stance still earns 0.25
    predicted = ["discuss", "unrelated", "discuss", "agree"]
    assert fnc_score(gold, predicted) == pytest.approx((0.25 + 0.25 + 1 + 0.25) / 3.25)
    assert fnc_score(gold, ["unrelated"] * 4) == pytest.approx(0.25 / 3.25)
    assert fnc_score([], []) == 0.0


def test_features_of_a_repeated_and_an_unrelated_text() -> None:
    claim = "Iran and Russia signed a 20-year treaty in Moscow"
    same = pair_features(claim, f"{claim}. The treaty was denied by nobody.")
    other = pair_features(claim, OTHER[0])
    assert set(same) == set(FEATURE_NAMES)
    assert same["cos_best"] == pytest.approx(1.0)
    assert same["share_stems"] == 1.0 and same["share_numbers"] == 1.0 and same["share_names"] == 1.0
    assert other["cos_text"] == 0.0 and other["share_stems"] == 0.0 and other["share_numbers"] == 0.0
    assert same["text_refute"] > 0 and same["top_negation"] == 1.0
    assert pair_features("Is it true?", "No.")["claim_question"] == 1.0


def test_learns_the_synthetic_stances(trained: StanceModel) -> None:
    pairs, labels = synthetic(2, seed=2)
    predicted = trained.predict(pairs)
    assert all(p in STANCES for p in predicted)
    assert np.mean([p == g for p, g in zip(predicted, labels, strict=True)]) >= 0.9
    proba = trained.predict_proba(pairs)
    assert proba.shape == (len(pairs), 4)
    assert np.allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize("name", ["model.json", "model.json.gz"])
def test_save_and_load_give_the_same_predictions(trained: StanceModel, tmp_path: Path, name: str) -> None:
    pairs, _ = synthetic(1, seed=3)
    path = tmp_path / name
    trained.save(path)
    loaded = StanceModel.load(path)
    assert np.allclose(loaded.predict_proba(pairs), trained.predict_proba(pairs), atol=1e-3)
    assert loaded.predict(pairs) == trained.predict(pairs)


def test_untrained_and_foreign_models_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        StanceModel().predict([("a", "b")])
    with pytest.raises(RuntimeError):
        StanceModel().save(tmp_path / "m.json")
    (tmp_path / "other.json").write_text('{"format": "something-else"}')
    with pytest.raises(ValueError):
        StanceModel.load(tmp_path / "other.json")
    assert StanceModel().fit(*synthetic(1, seed=4)).predict([]) == []


def test_fit_needs_every_stance() -> None:
    pairs, labels = synthetic(1, seed=5)
    kept = [(p, s) for p, s in zip(pairs, labels, strict=True) if s != "disagree"]
    with pytest.raises(ValueError):
        StanceModel(iterations=5).fit([p for p, _ in kept], [s for _, s in kept])


@pytest.mark.skipif(not (DATA / "stance_fnc1.json.gz").exists(), reason="no shipped stance model")
def test_shipped_model_reads_obvious_pairs() -> None:
    model = StanceModel.load(DATA / "stance_fnc1.json.gz")
    claim = "Police arrest the mayor of Springfield over bribery"
    related = ("Police arrested the mayor of Springfield on Monday over bribery. The mayor was taken into custody "
               "after investigators found evidence of bribes, police confirmed.")
    assert model.predict([(claim, related), (claim, OTHER[1])]) != ["unrelated", "unrelated"]
    assert model.predict([(claim, OTHER[1])]) == ["unrelated"]
