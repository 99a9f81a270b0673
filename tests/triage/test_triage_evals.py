"""The triage and routing evaluations run on our own small cases (not the shared sets)."""

import json

from careguide.evals.routing import evaluate_routing, load_questions
from careguide.evals.triage import SimulatedPatient, evaluate_triage, load_cases
from careguide.knowledge import load_knowledge
from careguide.triage.models import Option, Question

CASES = [
    {"id": "t1", "text": "crushing chest pain and sweating for 20 minutes", "language": "en", "age": 60, "sex": "M",
     "gold_triage3": "emergency", "gold_triage": "ambulance", "gold_department": "emergency"},
    {"id": "t2", "text": "嗓子有点疼两天了，不发烧，其他都好", "language": "zh", "age": 25, "sex": "F",
     "gold_triage3": "self_care", "gold_triage": "self_care", "gold_department": "耳鼻喉科"},
    {"id": "t3", "text": "burning when I pee and needing to go often since yesterday, no fever", "language": "en", "age": 30,
     "sex": "F", "gold_triage3": "non_emergency", "gold_triage": "routine"},
]


def test_simulated_patient_answers_only_from_the_text():
    patient = SimulatedPatient(load_knowledge(), {"id": "x", "text": "chest pain, no sweating", "age": 50, "sex": "M"})
    options = [Option(id=o, label=o) for o in ("yes", "no", "dont_know")]

    def ask(targets):
        return patient.reply(Question(id="q", kind="findings", text="?", options=options, rationale="r", targets=targets))

    assert ask(["chest_pain"]) == "yes"
    assert ask(["sweating"]) == "no"
    assert ask(["fainting"]) == "dont_know"


def test_triage_eval_reports_the_required_figures(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in CASES), encoding="utf-8")
    report = evaluate_triage(load_cases(path))
    for key in ("accuracy_3level", "emergency_sensitivity", "self_care_accuracy", "under_triage_rate",
                "over_triage_rate", "mean_questions", "n", "department_top1", "department_top3", "failures"):
        assert key in report
    assert report["n"] == 3
    assert report["emergency_sensitivity"] == 1.0
    assert report["accuracy_3level"] == 1.0


def test_routing_eval_on_a_small_file_with_a_train_test_split(tmp_path):
    rows = [{"id": f"r{i}", "language": "zh", "text": text, "gold_department": [gold]} for i, (text, gold) in enumerate([
        ("最近老是心慌胸闷，血压也高", "心内科"), ("甲状腺结节要不要手术", "内分泌科"), ("胃痛反酸两个月", "消化内科"),
        ("头痛头晕，手脚发麻", "神经内科"), ("乙肝小三阳需要吃药吗", "感染科"), ("咳嗽咳痰一周", "呼吸内科"),
    ] * 4)]
    path = tmp_path / "routing.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    plain = evaluate_routing(load_questions(path))
    assert plain["n"] == 24 and plain["top1"] >= 0.8 and plain["top3"] >= plain["top1"]
    learned = evaluate_routing(load_questions(path), learned=True)
    assert 0 < learned["n"] < 24 and "test half" in learned["split"]
