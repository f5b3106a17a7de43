"""Respondents on a real database: joining, answering, submitting, surviving a restart."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from answering import answer, answers_of, submit

from bot.adapters import storage
from bot.adapters.storage import Channel, Database, respondents

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LATER = T0 + dt.timedelta(minutes=5)


async def new_survey(database: Database, organization: str = "城市管家公司") -> storage.SurveyRecord:
    return await storage.create_survey(
        database.sessions, spec_id="TBSC120", organization=organization, timezone="Asia/Shanghai", now=T0
    )


async def test_joining_twice_gives_the_same_respondent(database: Database) -> None:
    survey = await new_survey(database)
    first = await storage.join(database.sessions, survey.id, 1001, 1001, "zh", T0)
    again = await storage.join(database.sessions, survey.id, 1001, 5005, "en", LATER)

    assert again.id == first.id
    assert again.number == 1
    assert again.language == "zh"  # a language chosen earlier is kept
    assert again.chat_id == 5005
    assert again.last_active_at == LATER
    assert (await storage.progress_counts(database.sessions, survey.id)).joined == 1


async def test_respondents_are_numbered_one_by_one_per_survey(database: Database) -> None:
    first_survey, second_survey = await new_survey(database), await new_survey(database, "Other Ltd")
    numbers = [(await storage.join(database.sessions, first_survey.id, user, user, "zh", T0)).number
               for user in (11, 12, 13)]
    other = await storage.join(database.sessions, second_survey.id, 11, 11, "zh", T0)

    assert numbers == [1, 2, 3]
    assert other.number == 1


async def test_concurrent_joins_get_distinct_numbers_and_no_duplicates(database: Database) -> None:
    survey = await new_survey(database)
    users = [*range(100, 140), *range(100, 110)]  # ten users tap the link twice at once
    joined = await asyncio.gather(
        *(storage.join(database.sessions, survey.id, user, user, "zh", T0) for user in users)
    )

    by_user = {record.telegram_user_id: record.number for record in joined}
    assert sorted(by_user.values()) == list(range(1, 41))
    assert all(by_user[r.telegram_user_id] == r.number for r in joined)
    assert (await storage.progress_counts(database.sessions, survey.id)).joined == 40


async def test_changing_an_answer_keeps_one_rating_per_item(database: Database) -> None:
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)

    assert await answer(database.sessions, respondent.id, "1.1", 2, T0)
    assert await answer(database.sessions, respondent.id, "1.2", 4, T0)
    assert await answer(database.sessions, respondent.id, "1.1", 5, LATER)

    assert await answers_of(database.sessions, respondent.id) == {"1.1": 5, "1.2": 4}


async def test_a_rating_off_the_scale_is_refused(database: Database) -> None:
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    with pytest.raises(ValueError):
        await answer(database.sessions, respondent.id, "1.1", 6, T0)
    assert await answers_of(database.sessions, respondent.id) == {}


async def test_submitting_counts_once_and_freezes_the_answers(database: Database) -> None:
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    await answer(database.sessions, respondent.id, "1.1", 3, T0)

    assert await submit(database.sessions, respondent.id, LATER) is True
    assert await submit(database.sessions, respondent.id, LATER + dt.timedelta(hours=1)) is False
    assert await answer(database.sessions, respondent.id, "1.1", 1, LATER) is False

    stored = await storage.respondent_by_id(database.sessions, respondent.id)
    assert stored is not None and stored.submitted_at == LATER
    assert await answers_of(database.sessions, respondent.id) == {"1.1": 3}


async def test_answers_and_dialogue_state_survive_a_restart(database_url: str, database: Database) -> None:
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 70, "zh", T0)
    state = storage.DialogueState(position="q:2", reviewing=True, language="en", comment="门口的指示牌很清楚",
                                  screen_message_id=321)
    await take(database, respondent.id, storage.StepChange(answer=("1.1", 4), state=state), LATER)
    await database.close()

    reopened = await storage.open_database(database_url)
    try:
        found = await storage.respondent_for(reopened.sessions, survey.id, 7)
        answers = await answers_of(reopened.sessions, respondent.id)
    finally:
        await reopened.close()

    assert answers == {"1.1": 4}
    assert found is not None
    assert (found.position, found.reviewing, found.language) == ("q:2", True, "en")
    assert (found.comment, found.screen_message_id, found.chat_id) == ("门口的指示牌很清楚", 321, 70)
    assert found.last_active_at == LATER


async def test_times_come_back_as_the_same_instant_in_utc(database: Database) -> None:
    survey = await new_survey(database)
    shanghai_morning = dt.datetime(2026, 3, 2, 17, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", shanghai_morning)

    assert respondent.joined_at == T0
    assert respondent.joined_at.utcoffset() == dt.timedelta(0)


async def test_a_long_comment_is_refused(database: Database) -> None:
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    state = storage.DialogueState(position="review", reviewing=True, language="zh", comment="好" * 1001,
                                  screen_message_id=None)
    with pytest.raises(ValueError):
        await take(database, respondent.id, storage.StepChange(answer=("1.1", 5), state=state))
    assert await answers_of(database.sessions, respondent.id) == {}  # the whole step or nothing


async def test_a_message_without_payload_finds_the_most_recently_active_survey(database: Database) -> None:
    first, second = await new_survey(database), await new_survey(database, "Other Ltd")
    older = await storage.join(database.sessions, first.id, 7, 7, "zh", T0)
    newer = await storage.join(database.sessions, second.id, 7, 7, "zh", LATER)

    assert (await storage.latest_respondent_for_user(database.sessions, 7)).id == newer.id
    await answer(database.sessions, older.id, "1.1", 3, LATER + dt.timedelta(minutes=1))
    assert (await storage.latest_respondent_for_user(database.sessions, 7)).id == older.id
    assert await storage.latest_respondent_for_user(database.sessions, 8) is None


async def test_an_unreachable_respondent_becomes_reachable_by_joining_again(database: Database) -> None:
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    await storage.mark_unreachable(database.sessions, respondent.id)
    assert (await storage.respondent_by_id(database.sessions, respondent.id)).unreachable

    assert not (await storage.join(database.sessions, survey.id, 7, 7, "zh", LATER)).unreachable


async def test_a_paper_response_is_numbered_and_submitted(database: Database) -> None:
    survey = await new_survey(database)
    await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    paper = await storage.add_paper_respondent(database.sessions, survey.id, {"1.1": 5, "1.2": 2}, LATER)
    another = await storage.add_paper_respondent(database.sessions, survey.id, {"1.1": 1}, LATER)

    assert (paper.number, another.number) == (2, 3)
    assert paper.channel is Channel.PAPER and paper.telegram_user_id is None
    assert paper.submitted_at == LATER
    assert await answers_of(database.sessions, paper.id) == {"1.1": 5, "1.2": 2}


def at(position: str) -> storage.DialogueState:
    return storage.DialogueState(position=position, reviewing=False, language="zh", comment=None,
                                 screen_message_id=None)


async def take(database: Database, who: storage.UserInSurvey | int, change: storage.StepChange,
               now: dt.datetime = T0) -> storage.RespondentInSurvey | None:
    """Store `change` as one dialogue step; what the step read."""
    return await storage.take_step(database.sessions, who, now, lambda found: (change, found))


async def test_a_step_reads_the_respondent_its_survey_and_its_answers(database: Database) -> None:
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 70, "zh", T0)
    await take(database, respondent.id, storage.StepChange(answer=("1.1", 4), state=at("q:1")))
    await take(database, respondent.id, storage.StepChange(answer=("1.2", 2), state=at("q:2")))

    found = await take(database, storage.UserInSurvey(survey.id, 7), storage.StepChange())

    assert found is not None
    assert (found.respondent.id, found.respondent.position) == (respondent.id, "q:2")
    assert found.respondent.chat_id == 70
    assert (found.survey.id, found.survey.organization) == (survey.id, "城市管家公司")
    assert found.answers == {"1.1": 4, "1.2": 2}
    assert await take(database, storage.UserInSurvey(survey.id, 8), storage.StepChange()) is None


async def test_a_step_read_before_another_process_moved_on_is_worked_out_again(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two bot processes: the other moved the respondent from q:0 to q:1 after this one read q:0. The
    step stores nothing worked out on q:0 and is worked out again on q:1."""
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    await take(database, respondent.id, storage.StepChange(answer=("1.1", 5), state=at("q:1")))
    read_stale_once(monkeypatch, position="q:0")
    seen: list[str] = []

    def decide(found: storage.RespondentInSurvey) -> tuple[storage.StepChange, None]:
        seen.append(found.respondent.position)
        index = int(found.respondent.position.removeprefix("q:"))
        return storage.StepChange(answer=(f"1.{index + 1}", 2), state=at(f"q:{index + 1}")), None

    await storage.take_step(database.sessions, respondent.id, LATER, decide)

    assert seen == ["q:0", "q:1"]
    assert await answers_of(database.sessions, respondent.id) == {"1.1": 5, "1.2": 2}
    assert (await storage.respondent_by_id(database.sessions, respondent.id)).position == "q:2"


async def test_a_step_overtaken_twice_stores_nothing(database: Database,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    await take(database, respondent.id, storage.StepChange(state=at("q:1")))
    read_stale_once(monkeypatch, position="q:0", times=2)

    with pytest.raises(storage.StepOvertaken):
        await take(database, respondent.id, storage.StepChange(answer=("1.1", 2), state=at("q:9")))

    assert await answers_of(database.sessions, respondent.id) == {}
    assert (await storage.respondent_by_id(database.sessions, respondent.id)).position == "q:1"


@pytest.mark.parametrize("moves_on", [True, False], ids=["with the next screen", "answer alone"])
async def test_an_answer_step_after_the_submission_stores_nothing(database: Database, moves_on: bool) -> None:
    """Submitted answers are final, also for a step that was worked out before the submission."""
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    await take(database, respondent.id, storage.StepChange(answer=("1.1", 4), submit=True, state=at("done")))
    late = storage.StepChange(answer=("1.1", 1), state=at("review") if moves_on else None)

    with pytest.raises(storage.StepOvertaken):
        await take(database, respondent.id, late, LATER)

    assert await answers_of(database.sessions, respondent.id) == {"1.1": 4}
    assert (await storage.respondent_by_id(database.sessions, respondent.id)).position == "done"


async def test_submitting_twice_through_steps_counts_the_answers_once(database: Database) -> None:
    survey = await new_survey(database)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    await take(database, respondent.id, storage.StepChange(answer=("1.1", 4), state=at("review")))
    submit_step = storage.StepChange(submit=True, state=at("done"))

    await take(database, respondent.id, submit_step)
    await take(database, respondent.id, submit_step, LATER)  # a double tap on Submit

    assert await storage.item_histograms(database.sessions, survey.id) == {"1.1": {4: 1}}
    assert (await storage.respondent_by_id(database.sessions, respondent.id)).submitted_at == T0


def read_stale_once(monkeypatch: pytest.MonkeyPatch, position: str, times: int = 1) -> None:
    """The next `times` reads of a step see the respondent at `position`, as read before another
    process moved it on."""
    read = respondents._read_in_survey
    left = [times]

    def stale_read(connection, who):  # type: ignore[no-untyped-def]
        found = read(connection, who)
        if found is None or left[0] == 0:
            return found
        left[0] -= 1
        return replace(found, respondent=replace(found.respondent, position=position))

    monkeypatch.setattr(respondents, "_read_in_survey", stale_read)
