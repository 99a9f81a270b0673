"""The checker's behaviour, written as the feature's spec."""

from careguide.factcheck import CatalogueEvidence, EvidenceFinding, Span, Verdict, check_text


def _ids(result):
    return {hit.id for hit in result.patterns}


def test_tea_that_replaces_insulin_is_misleading_and_the_phrase_is_highlighted():
    text = "糖尿病人福音！喝这款茶一个月，胰岛素可以停掉，血糖永久稳定。"
    result = check_text(text)
    assert result.verdict == Verdict.MISLEADING
    assert "stop_insulin" in _ids(result)
    spans = [s for hit in result.patterns if hit.id == "stop_insulin" for s in hit.spans]
    assert spans and all(text[s.start:s.end] == s.text for s in spans)
    assert any("胰岛素" in s.text for s in spans)
    assert any("医生" in a or "药师" in a for a in result.advice)


def test_advice_not_to_stop_medicine_is_not_flagged():
    for text in ("降压药不要自己随便停，调整剂量请先问医生。",
                 "Do not stop taking your blood pressure medicine on your own."):
        result = check_text(text)
        assert "stop_medication" not in _ids(result)
        assert result.verdict != Verdict.MISLEADING


def test_required_health_food_disclaimer_is_not_read_as_replacing_medicine():
    result = check_text("本品为保健食品，不能代替药物。请在医生指导下使用。")
    assert result.verdict != Verdict.MISLEADING
    assert "replaces_medicine" not in _ids(result)


def test_a_warning_about_seminar_scams_is_not_itself_a_scam():
    result = check_text("警惕保健品会销：以免费讲座、送鸡蛋为名吸引老人，然后高价推销产品。")
    assert result.verdict != Verdict.MISLEADING


def test_vaccine_autism_myth_contradicts_the_evidence_and_its_denial_agrees():
    myth = check_text("Vaccines cause autism.")
    assert myth.verdict == Verdict.MISLEADING
    assert [e.agreement for e in myth.evidence if e.id == "vaccines_autism"] == ["contradicts"]
    denial = check_text("Large studies found no link between the MMR vaccine and autism.")
    assert denial.verdict == Verdict.CONSISTENT
    assert denial.evidence[0].asserted is False and denial.evidence[0].sources


def test_chinese_denial_after_the_claim_agrees_with_the_evidence():
    result = check_text("感冒大多是病毒引起的，抗生素对病毒无效。")
    assert all(e.agreement != "contradicts" for e in result.evidence)
    assert result.verdict != Verdict.MISLEADING


def test_unproven_claim_is_unsupported():
    result = check_text("Taking vitamin D supplements prevents cancer.")
    assert result.verdict == Verdict.UNSUPPORTED
    assert result.evidence[0].stance == "unproven"


def test_supported_claim_is_consistent_with_evidence():
    result = check_text("少吃盐有助于控制血压，成年人每天食盐不超过5克。")
    assert result.verdict == Verdict.CONSISTENT


def test_text_not_about_health_cannot_be_judged():
    result = check_text("明天降温，出门多穿点衣服，晚饭六点开始。")
    assert result.verdict == Verdict.CANNOT_JUDGE
    assert result.about_health is False


def test_health_text_without_known_signs_is_an_honest_cannot_judge():
    result = check_text("Hi Dad, I booked your eye check-up for Tuesday at 10.")
    assert result.verdict == Verdict.CANNOT_JUDGE
    assert "does not mean it is true" in result.explanation or result.about_health is False


def test_explanation_comes_in_the_requested_language():
    text = "This miracle tea cures diabetes, stop your pills."
    assert "误导" in check_text(text, "zh").explanation
    assert check_text(text, "zh").patterns[0].reason.isascii() is False
    assert "misleading" in check_text(text, "en").explanation


def test_spans_index_the_original_text_when_it_has_full_width_and_traditional_characters():
    text = "ＶＩＰ專享：本品保證治愈糖尿病，無任何副作用！"
    result = check_text(text)
    assert result.verdict == Verdict.MISLEADING
    for hit in result.patterns:
        for span in hit.spans:
            assert text[span.start:span.end] == span.text


def test_claims_list_the_sentences_with_their_signs():
    result = check_text("明天天气很好。祖传秘方，三天降血压！")
    assert len(result.claims) == 1
    assert result.claims[0].text == "祖传秘方，三天降血压！"
    assert "secret_ingredient" in result.claims[0].patterns


class _ArticleEvidence:
    """A stand-in for the health-article base: says fluoride toothpaste advice agrees with an article."""

    name = "articles"

    def find(self, text, sentences, lang):
        start = text.find("fluoride")
        if start < 0:
            return []
        return [EvidenceFinding(id="article_fluoride", claim="Fluoride toothpaste", stance="supported", asserted=True,
                                agreement="agrees", summary="Article says it prevents decay.", advice="Brush twice.",
                                sources=["Article 12"], span=Span(start=start, end=start + 8, text="fluoride"),
                                source_kind=self.name)]


def test_another_evidence_source_plugs_in_beside_the_catalogue():
    result = check_text("Use fluoride paste for your grandchildren.",
                        evidence_sources=[CatalogueEvidence(), _ArticleEvidence()])
    assert result.verdict == Verdict.CONSISTENT
    assert {e.source_kind for e in result.evidence} == {"articles"}
    assert "evidence" in result.steps


def test_report_that_standard_treatment_cured_cancer_is_not_the_cancer_cure_pattern():
    assert "cancer_cure" not in _ids(check_text("Chemotherapy cured her leukaemia, her doctors said."))
    assert "cancer_cure" not in _ids(check_text("早期乳腺癌经过手术和规范治疗可以治愈。"))
    assert "cancer_cure" in _ids(check_text("Apricot kernels cure cancer naturally."))


def test_a_claim_under_a_condition_is_not_asserted():
    result = check_text("If masks prevent infection, why do people still get sick?")
    assert all(e.id != "masks_respiratory" for e in result.evidence)


def test_sales_tricks_alone_do_not_make_a_text_about_health():
    result = check_text("今天下单买二送一！")
    assert result.verdict == Verdict.CANNOT_JUDGE and result.about_health is False


def test_request_model_carries_text_and_reader_language():
    from careguide.factcheck import CheckRequest, check

    result = check(CheckRequest(text="祖传秘方，包治百病。", lang="en"))
    assert result.verdict == Verdict.MISLEADING
    assert result.headline == "This looks misleading." and result.language == "en" and result.text_language == "zh"


def test_telling_seniors_to_drop_their_painkillers_for_a_folk_remedy_is_misleading():
    result = check_text("老年人注意了！膝盖疼千万别再吃止痛药了，这个土方子贴三天，关节积液全消。")
    assert result.verdict == Verdict.MISLEADING
    assert {"stop_medication", "secret_ingredient", "quick_effect"} <= _ids(result)


def test_a_doctors_instruction_to_stop_a_medicine_is_not_a_rumour():
    for text in ("医生说不要再吃消炎药了，炎症已经好了。",
                 "My doctor told me to stop taking the antibiotics after five days."):
        assert "stop_medication" not in _ids(check_text(text))
